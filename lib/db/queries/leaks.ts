// Links every LLM call that carries a tool's action tag to the latest earlier tool call
// with that tag (the tag leak), for the (agent, tag) pairs a batch touched, from the
// earliest new row on. Stored, so `leaks_only` is an index lookup rather than a scan.
import type { Dialect } from "../config";
import type { Tx } from "../client";
import { execute, query } from "../sql";

export interface LeakScope {
  agentId: string;
  actionName: string;
  fromTs: number;
}

/**
 * The links that change, found in one statement for the whole batch: the scopes go in as one
 * JSON parameter, every LLM call in a scope gets the latest tool call with its tag at or
 * before it, and only rows whose link differs from the stored one come back.
 */
export function linkChangesSql(dialect: Dialect): string {
  const scopes =
    dialect === "sqlite"
      ? `SELECT value ->> 0 AS agent_id, value ->> 1 AS action_name, value ->> 2 AS from_ts FROM json_each(?)`
      : `SELECT s.agent_id, s.action_name, s.from_ts FROM json_to_recordset(?::json) AS s(agent_id text, action_name text, from_ts bigint)`;
  const differs = dialect === "sqlite" ? "IS NOT" : "IS DISTINCT FROM";
  return `WITH scope AS MATERIALIZED (${scopes})
    SELECT l.id, l.agent_id, l.old_tool_id, l.tool_id FROM (
      SELECT i."id" AS id, i."agent_id" AS agent_id, i."leak_tool_intercept_id" AS old_tool_id, (
        SELECT t."id" FROM "intercepts" t
        WHERE t."agent_id" = i."agent_id" AND t."action_name" = i."action_name"
          AND t."kind" = 'tool_call' AND t."ts" <= i."ts"
        ORDER BY t."ts" DESC, t."id" DESC LIMIT 1) AS tool_id
      FROM scope s JOIN "intercepts" i
        ON i."agent_id" = s.agent_id AND i."action_name" = s.action_name AND i."kind" = 'llm_call' AND i."ts" >= s.from_ts
    ) AS l WHERE l.old_tool_id ${differs} l.tool_id`;
}

/** Writes the changed links; is_leak follows the link, so the two never disagree. Parameter: [[id, tool_id], ...] as JSON. */
export function setLinksSql(dialect: Dialect): string {
  return dialect === "sqlite"
    ? `UPDATE "intercepts" SET "leak_tool_intercept_id" = c.value ->> 1, "is_leak" = (c.value ->> 1 IS NOT NULL)
       FROM json_each(?) AS c WHERE "intercepts"."id" = c.value ->> 0`
    : `UPDATE "intercepts" SET "leak_tool_intercept_id" = c.tool_id, "is_leak" = (c.tool_id IS NOT NULL)
       FROM json_to_recordset(?::json) AS c(id text, tool_id text) WHERE "intercepts"."id" = c.id`;
}

/** A row whose leak link changed: tool_id is the tool call whose tag it now leaks, or null. */
export interface LinkChange {
  id: string;
  agent_id: string;
  old_tool_id: string | null;
  tool_id: string | null;
}

/**
 * Relinks the scopes; returns how many leaks each agent gained (or lost, negative).
 * `changed`, when given, receives every changed link (alerts need the rows that became leaks).
 */
export async function relinkLeaks(tx: Tx, dialect: Dialect, scopes: LeakScope[], changed?: LinkChange[]): Promise<Map<string, number>> {
  const leaks = new Map<string, number>();
  if (scopes.length === 0) return leaks;
  const json =
    dialect === "sqlite"
      ? JSON.stringify(scopes.map((s) => [s.agentId, s.actionName, s.fromTs]))
      : JSON.stringify(scopes.map((s) => ({ agent_id: s.agentId, action_name: s.actionName, from_ts: s.fromTs })));
  const changes = await query<LinkChange>(tx, dialect, linkChangesSql(dialect), [json]);
  if (changes.length === 0) return leaks;
  changed?.push(...changes);
  await execute(tx, dialect, setLinksSql(dialect), [JSON.stringify(changes.map((c) => (dialect === "sqlite" ? [c.id, c.tool_id] : { id: c.id, tool_id: c.tool_id })))]);
  for (const c of changes) {
    const by = (c.tool_id !== null ? 1 : 0) - (c.old_tool_id !== null ? 1 : 0);
    if (by) leaks.set(c.agent_id, (leaks.get(c.agent_id) ?? 0) + by);
  }
  return leaks;
}

/** On PostgreSQL, concurrent batches for one agent take turns, so no leak link is missed. */
export async function lockAgents(tx: Tx, dialect: Dialect, agentIds: string[]): Promise<void> {
  if (dialect !== "postgresql") return; // SQLite transactions are serialized already
  const ids = [...new Set(agentIds)].sort();
  if (ids.length === 0) return;
  // In sorted order, so two batches never wait on each other in a cycle.
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext(a)) FROM unnest($1::text[]) AS a ORDER BY a`, ids);
}
