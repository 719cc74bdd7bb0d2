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

/**
 * One statement for the whole batch: the scopes go in as one JSON parameter, every LLM call
 * in a scope gets the latest tool call with its tag at or before it, and only rows whose
 * link changed are written (is_leak follows the link, so the two never disagree).
 */
export function relinkSql(dialect: Dialect): string {
  const scopes =
    dialect === "sqlite"
      ? `SELECT value ->> 0 AS agent_id, value ->> 1 AS action_name, value ->> 2 AS from_ts FROM json_each(?)`
      : `SELECT s.agent_id, s.action_name, s.from_ts FROM json_to_recordset(?::json) AS s(agent_id text, action_name text, from_ts bigint)`;
  const differs = dialect === "sqlite" ? "IS NOT" : "IS DISTINCT FROM";
  return `WITH scope AS MATERIALIZED (${scopes}),
    link AS MATERIALIZED (
      SELECT i."id" AS id, i."leak_tool_intercept_id" AS old_tool_id, (
        SELECT t."id" FROM "intercepts" t
        WHERE t."agent_id" = i."agent_id" AND t."action_name" = i."action_name"
          AND t."kind" = 'tool_call' AND t."ts" <= i."ts"
        ORDER BY t."ts" DESC, t."id" DESC LIMIT 1) AS tool_id
      FROM scope s JOIN "intercepts" i
        ON i."agent_id" = s.agent_id AND i."action_name" = s.action_name AND i."kind" = 'llm_call' AND i."ts" >= s.from_ts)
    UPDATE "intercepts" SET "leak_tool_intercept_id" = link.tool_id, "is_leak" = (link.tool_id IS NOT NULL)
    FROM link WHERE "intercepts"."id" = link.id AND link.old_tool_id ${differs} link.tool_id`;
}

export async function relinkLeaks(tx: Tx, dialect: Dialect, scopes: LeakScope[]): Promise<void> {
  if (scopes.length === 0) return;
  const json =
    dialect === "sqlite"
      ? JSON.stringify(scopes.map((s) => [s.agentId, s.actionName, s.fromTs]))
      : JSON.stringify(scopes.map((s) => ({ agent_id: s.agentId, action_name: s.actionName, from_ts: s.fromTs })));
  await execute(tx, dialect, relinkSql(dialect), [json]);
}

/** On PostgreSQL, concurrent batches for one agent take turns, so no leak link is missed. */
export async function lockAgents(tx: Tx, dialect: Dialect, agentIds: string[]): Promise<void> {
  if (dialect !== "postgresql") return; // SQLite transactions are serialized already
  const ids = [...new Set(agentIds)].sort();
  if (ids.length === 0) return;
  // In sorted order, so two batches never wait on each other in a cycle.
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext(a)) FROM unnest($1::text[]) AS a ORDER BY a`, ids);
}
