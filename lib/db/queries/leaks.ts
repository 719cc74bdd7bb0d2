// Links every LLM call that carries a tool's action tag to the latest earlier tool call
// with that tag (the tag leak), for the (agent, tag) pairs a batch touched, from the
// earliest new row on. Stored, so `leaks_only` is an index lookup rather than a scan.
// An LLM call that got its tag from span nesting (parent_tool_intercept_id, OTLP) is linked
// to that tool call, the one it ran inside, whatever else carries the tag.
import type { Dialect } from "../config";
import type { DbHandle } from "../client";
import { execute, query } from "../sql";
import { distinctFrom, interceptIdByDedupeKey, jsonRows, jsonTexts, takesLocks } from "../dialect";

export interface LeakScope {
  agentId: string;
  actionName: string;
  fromTs: number;
  /** only rows up to this time (a deletion knows the next tool call bounds what can change); none at ingest */
  toTs?: number | null;
}

/** 31 days in µs: the first place the tag rule looks on PostgreSQL (at most two month partitions). */
const RECENT_US = 31 * 86_400_000_000;

/**
 * The links that change, found in one statement for the whole batch: the scopes go in as one
 * JSON parameter, every LLM call in a scope gets the latest tool call with its tag at or
 * before it, and only rows whose link differs from the stored one come back.
 */
export function linkChangesSql(dialect: Dialect, withCallRefs = false): string {
  const j = jsonRows(dialect, "s");
  const scopes = `SELECT ${j.col(0)} AS agent_id, ${j.col(1)} AS action_name, ${j.col(2, "bigint")} AS from_ts, COALESCE(${j.col(3, "bigint")}, 9223372036854775807) AS to_ts FROM ${j.from}`;
  const t = jsonTexts(dialect, "r");
  const refs = `SELECT ${t.value} AS call_ref FROM ${t.from}`;
  const differs = distinctFrom(dialect);
  const cols = `i."id", i."agent_id", i."action_name", i."ts", i."call_ref", i."parent_tool_intercept_id", i."leak_tool_intercept_id"`;
  const byTag = `SELECT ${cols} FROM scope s JOIN "intercepts" i
        ON i."agent_id" = s.agent_id AND i."action_name" = s.action_name AND i."kind" = 'llm_call' AND i."ts" >= s.from_ts AND i."ts" <= s.to_ts`;
  // Generation B: every LLM row carrying a call_ref of the batch, whatever its time (it may
  // precede the tool's fetch in the same scoped block).
  const byRef = `SELECT ${cols} FROM refs r JOIN "intercepts" i ON i."call_ref" = r.call_ref AND i."kind" = 'llm_call'`;
  const newestTool = (since: string) => `(SELECT t."id" FROM "intercepts" t
        WHERE t."agent_id" = c."agent_id" AND t."action_name" = c."action_name"
          AND t."kind" = 'tool_call' AND t."ts" <= c."ts"${since}
        ORDER BY t."ts" DESC, t."id" DESC LIMIT 1)`;
  // PostgreSQL: intercepts are partitioned by month, and the default partition keeps the planner
  // from reading months newest first, so the walk probed every month stored for every LLM row
  // (5 index descents at 4 months; linear in months kept). Looking within the last 31 days
  // first reads at most two months; the newest tool call found there is the newest of all, and
  // only an agent with no call of the tag in 31 days walks the rest.
  const tagRule = dialect === "postgresql" ? `COALESCE(${newestTool(` AND t."ts" >= c."ts" - ${RECENT_US}`)}, ${newestTool("")})` : newestTool("");
  // `|| ''` keeps the planner off the agent index here: SQLite (no statistics) chose to walk
  // the agent's whole history in (ts, id) order to skip a sort, so ingest slowed as the store
  // grew (48 ms per batch at 50k rows, 680 ms at 200k); the call_ref index finds the block's
  // few rows at once.
  const refRule = `(SELECT t."id" FROM "intercepts" t
        WHERE c."call_ref" IS NOT NULL AND t."call_ref" = c."call_ref" AND t."agent_id" || '' = c."agent_id" AND t."kind" = 'tool_call'
        ORDER BY t."ts", t."id" LIMIT 1)`;
  return `WITH scope AS MATERIALIZED (${scopes})${withCallRefs ? `, refs AS MATERIALIZED (${refs})` : ""}
    SELECT l.id, l.agent_id, l.old_tool_id, l.tool_id FROM (
      SELECT c."id" AS id, c."agent_id" AS agent_id, c."leak_tool_intercept_id" AS old_tool_id,
        ${withCallRefs ? `COALESCE(c."parent_tool_intercept_id", ${refRule}, ${tagRule})` : `COALESCE(c."parent_tool_intercept_id", CASE WHEN c."call_ref" IS NULL THEN ${tagRule} ELSE COALESCE(${refRule}, ${tagRule}) END)`} AS tool_id
      FROM (${withCallRefs ? `${byTag} UNION ${byRef}` : byTag}) AS c
    ) AS l WHERE l.old_tool_id ${differs} l.tool_id`;
}

/** Writes the changed links; is_leak follows the link, so the two never disagree. Parameter: [[id, tool_id], ...] as JSON. */
export function setLinksSql(dialect: Dialect): string {
  const c = jsonRows(dialect, "c");
  return `UPDATE "intercepts" SET "leak_tool_intercept_id" = ${c.col(1)}, "is_leak" = (${c.col(1)} IS NOT NULL)
       FROM ${c.from} WHERE "intercepts"."id" = ${c.col(0)}`;
}

/** A row whose leak link changed: tool_id is the tool call whose tag it now leaks, or null. */
export interface LinkChange {
  id: string;
  agent_id: string;
  old_tool_id: string | null;
  tool_id: string | null;
}

/**
 * Relinks the scopes and the LLM rows carrying any of `callRefs`; returns how many leaks each
 * agent gained (or lost, negative). `changed`, when given, receives every changed link (alerts
 * need the rows that became leaks).
 */
export async function relinkLeaks(h: DbHandle, scopes: LeakScope[], callRefs: string[] = [], changed?: LinkChange[]): Promise<Map<string, number>> {
  const { db: tx, dialect } = h;
  const leaks = new Map<string, number>();
  if (scopes.length === 0 && callRefs.length === 0) return leaks;
  const json = JSON.stringify(scopes.map((s) => (s.toTs == null ? [s.agentId, s.actionName, s.fromTs] : [s.agentId, s.actionName, s.fromTs, s.toTs])));
  const refs = [...new Set(callRefs)];
  const changes = await query<LinkChange>(tx, dialect, linkChangesSql(dialect, refs.length > 0), refs.length ? [json, JSON.stringify(refs)] : [json]);
  if (changes.length === 0) return leaks;
  changed?.push(...changes);
  await execute(tx, dialect, setLinksSql(dialect), [JSON.stringify(changes.map((c) => [c.id, c.tool_id]))]);
  for (const c of changes) {
    const by = (c.tool_id !== null ? 1 : 0) - (c.old_tool_id !== null ? 1 : 0);
    if (by) leaks.set(c.agent_id, (leaks.get(c.agent_id) ?? 0) + by);
  }
  return leaks;
}

/**
 * Sets parent_tool_intercept_id of new rows whose tag came from the tool span they ran inside
 * (NormalizedIntercept.parentToolKey): the tool call with that dedupe key, stored earlier or
 * in this batch. One statement; nothing to do for rows that did not come from nesting.
 */
export async function linkParentTools(h: DbHandle, rows: { id: string; parentToolKey?: string | null }[]): Promise<void> {
  const { db: tx, dialect } = h;
  const nested = rows.filter((r) => r.parentToolKey);
  if (nested.length === 0) return;
  const c = jsonRows(dialect, "c");
  const sql = `UPDATE "intercepts" SET "parent_tool_intercept_id" = (${interceptIdByDedupeKey(dialect, c.col(1), "tool_call")})
         FROM ${c.from} WHERE "intercepts"."id" = ${c.col(0)}`;
  await execute(tx, dialect, sql, [JSON.stringify(nested.map((r) => [r.id, r.parentToolKey]))]);
}

/** On PostgreSQL, concurrent batches for one agent take turns, so no leak link is missed. */
export async function lockAgents(h: DbHandle, agentIds: string[]): Promise<void> {
  const { db: tx, dialect } = h;
  if (!takesLocks(dialect)) return; // SQLite transactions are serialized already
  const ids = [...new Set(agentIds)].sort();
  if (ids.length === 0) return;
  // In sorted order, so two batches never wait on each other in a cycle.
  await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext(a)) FROM unnest($1::text[]) AS a ORDER BY a`, ids);
}
