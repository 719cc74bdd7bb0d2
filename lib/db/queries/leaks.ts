// Links every LLM call that carries a tool's action tag to the latest earlier tool call
// with that tag (the tag leak), for the (agent, tag) pairs a batch touched, from the
// earliest new row on. Stored, so `leaks_only` is an index lookup rather than a scan.
import type { Dialect } from "../config";
import type { Tx } from "../client";
import { execute } from "../sql";

export interface LeakScope {
  agentId: string;
  actionName: string;
  fromTs: number;
}

export async function relinkLeaks(tx: Tx, dialect: Dialect, scopes: LeakScope[]): Promise<void> {
  for (const s of scopes) {
    await execute(
      tx,
      dialect,
      `UPDATE "intercepts" SET "leak_tool_intercept_id" = (
         SELECT t."id" FROM "intercepts" t
         WHERE t."agent_id" = "intercepts"."agent_id" AND t."action_name" = "intercepts"."action_name"
           AND t."kind" = 'tool_call' AND t."ts" <= "intercepts"."ts"
         ORDER BY t."ts" DESC, t."id" DESC LIMIT 1)
       WHERE "agent_id" = ? AND "action_name" = ? AND "kind" = 'llm_call' AND "ts" >= ?`,
      [s.agentId, s.actionName, s.fromTs],
    );
    await execute(
      tx,
      dialect,
      `UPDATE "intercepts" SET "is_leak" = ("leak_tool_intercept_id" IS NOT NULL)
       WHERE "agent_id" = ? AND "action_name" = ? AND "kind" = 'llm_call' AND "ts" >= ?`,
      [s.agentId, s.actionName, s.fromTs],
    );
  }
}

/** On PostgreSQL, concurrent batches for one agent take turns, so no leak link is missed. */
export async function lockAgents(tx: Tx, dialect: Dialect, agentIds: string[]): Promise<void> {
  if (dialect !== "postgresql") return; // SQLite transactions are serialized already
  const ids = [...new Set(agentIds)].sort();
  if (ids.length === 0) return;
  // In sorted order, so two batches never wait on each other in a cycle.
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext(a)) FROM unnest($1::text[]) AS a ORDER BY a`, ids);
}
