// The statements of a deletion (lib/retention/deletion.ts runs it: which rows, in which
// transaction, and what is repaired after them): candidates a page at a time, the DELETE, the
// look-ups that bound a leak relink, the agents' counts and the deletion log.
import type { DbHandle } from "../client";
import { execute, num, query } from "../sql";
import { idListParam, inIdList, leastGreatest } from "../dialect";
import { STAT_COUNTS, type AgentStatsDelta } from "./agent-stats";
import { FILLER_AGENT_ID } from "../../records/intercept";
import type { RecordTable } from "../../records/record-tables";

/** How many intercepts, policy decisions and handoffs (in that order) have this agent id or source. */
export async function recordCountsOf(h: DbHandle, column: "agent_id" | "source", value: string): Promise<number[]> {
  const { db: tx, dialect } = h;
  return Promise.all(["intercepts", "policy_decisions", "handoffs"].map(async (t) =>
    num((await query<{ n: unknown }>(tx, dialect, `SELECT COUNT(*) AS n FROM "${t}" WHERE "${column}" = ?`, [value]))[0]?.n)));
}

/** The agents with a record of this source, sorted. */
export async function agentsOfSource(h: DbHandle, source: string): Promise<string[]> {
  const { db, dialect } = h;
  const rows = await query<{ a: string }>(db, dialect,
    `SELECT "agent_id" AS a FROM "intercepts" WHERE "source" = ? UNION SELECT "agent_id" FROM "policy_decisions" WHERE "source" = ? UNION SELECT "agent_id" FROM "handoffs" WHERE "source" = ?`,
    [source, source, source]);
  return rows.map((r) => r.a).sort();
}

/**
 * The agents with a record older than `before` (µs): agent_stats knows every agent's first
 * record; filler rows (not counted there) have their own agent, listed last when it has one.
 */
export async function agentsWithRecordsBefore(h: DbHandle, before: number): Promise<string[]> {
  const { db: tx, dialect } = h;
  const rows = await query<{ a: string }>(tx, dialect, `SELECT "agent_id" AS a FROM "agent_stats" WHERE "first_ts" < ? ORDER BY "agent_id"`, [before]);
  const agents = rows.map((r) => r.a);
  if ((await query(tx, dialect, `SELECT 1 AS x FROM "intercepts" WHERE "agent_id" = ? AND "ts" < ? LIMIT 1`, [FILLER_AGENT_ID, before])).length) agents.push(FILLER_AGENT_ID);
  return agents;
}

const COLUMNS: Record<RecordTable, string> = {
  intercepts: `"id", "agent_id", "source", "ts", "kind", "action_name", "call_ref", "is_leak"`,
  policy_decisions: `"id", "agent_id", "source", "ts", "call_key", "blocks_call"`,
  handoffs: `"id", "agent_id", "source", "ts", "evaluator_outcome", "verdict_outcome"`,
};

/** A deletion candidate: what deleting it changes (its counts, its links), by table. */
export type CandidateRecord = Record<string, unknown> & { id: string; agent_id: string; source: string; ts: number };

/** One page of an agent's candidates (of one source, or older than `before`), by (ts, id) after the cursor (an index range scan). */
export async function candidatePage(h: DbHandle, table: RecordTable, agent: string, only: { source?: string; before?: number | null }, after: { ts: number; id: string } | null, limit: number): Promise<CandidateRecord[]> {
  const { db: tx, dialect } = h;
  const where = [`"agent_id" = ?`];
  const params: unknown[] = [agent];
  if (only.source !== undefined) {
    where.push(`"source" = ?`);
    params.push(only.source);
  }
  if (only.before !== undefined) {
    where.push(`"ts" < ?`);
    params.push(only.before);
  }
  if (after) {
    where.push(`("ts" > ? OR ("ts" = ? AND "id" > ?))`);
    params.push(after.ts, after.ts, after.id);
  }
  const rows = await query(tx, dialect, `SELECT ${COLUMNS[table]} FROM "${table}" WHERE ${where.join(" AND ")} ORDER BY "ts", "id" LIMIT ?`, [...params, limit]);
  return rows.map((r) => ({ ...r, id: String(r.id), agent_id: String(r.agent_id), source: String(r.source), ts: num(r.ts) }));
}

// The ids go in as one list parameter (inIdList: a text array on PostgreSQL, which the
// planner turns into primary-key look-ups).

/** Deletes these rows of one table. */
export async function deleteRecords(h: DbHandle, table: RecordTable, ids: string[]): Promise<void> {
  const { db: tx, dialect } = h;
  await execute(tx, dialect, `DELETE FROM "${table}" WHERE ${inIdList(dialect, `"id"`)}`, [idListParam(dialect, ids)]);
}

/**
 * The LLM calls with this tag from `fromTs` on that ran inside one of these (deleted) tool
 * calls: their parent link is cleared (they carry the tool's tag and agent, so they are
 * relinked by tag with the scope). Returns their times.
 */
export async function unparentNestedCalls(h: DbHandle, agentId: string, actionName: string, fromTs: number, toolIds: string[]): Promise<number[]> {
  const { db: tx, dialect } = h;
  const nested = await query<{ ts: unknown }>(tx, dialect,
    `SELECT "ts" FROM "intercepts" WHERE "agent_id" = ? AND "action_name" = ? AND "kind" = 'llm_call' AND "ts" >= ? AND ${inIdList(dialect, `"parent_tool_intercept_id"`)}`,
    [agentId, actionName, fromTs, idListParam(dialect, toolIds)]);
  if (nested.length) {
    await execute(tx, dialect, `UPDATE "intercepts" SET "parent_tool_intercept_id" = NULL WHERE "agent_id" = ? AND "action_name" = ? AND "kind" = 'llm_call' AND "ts" >= ? AND ${inIdList(dialect, `"parent_tool_intercept_id"`)}`,
      [agentId, actionName, fromTs, idListParam(dialect, toolIds)]);
  }
  return nested.map((n) => num(n.ts));
}

/** The time of the agent's first tool call with this tag at or after `ts`, or null. */
export async function nextToolCallTs(h: DbHandle, agentId: string, actionName: string, ts: number): Promise<number | null> {
  const { db: tx, dialect } = h;
  const [next] = await query<{ ts: unknown }>(tx, dialect,
    `SELECT "ts" FROM "intercepts" WHERE "agent_id" = ? AND "action_name" = ? AND "kind" = 'tool_call' AND "ts" >= ? ORDER BY "ts", "id" LIMIT 1`,
    [agentId, actionName, ts]);
  return next ? num(next.ts) : null;
}

/**
 * Applies count changes and recomputes first/last seen of the agents from what is left (index
 * seeks); an agent with nothing left loses its row, as a recount would have none.
 */
export async function applyDeletionStats(h: DbHandle, deltas: AgentStatsDelta[]): Promise<void> {
  const { db: tx, dialect } = h;
  for (const d of deltas) {
    const [range] = await query<{ lo: unknown; hi: unknown }>(tx, dialect, `SELECT MIN(lo) AS lo, MAX(hi) AS hi FROM (
        SELECT MIN("ts") AS lo, MAX("ts") AS hi FROM "intercepts" WHERE "agent_id" = ? AND "kind" <> 'filler'
        UNION ALL SELECT MIN("ts"), MAX("ts") FROM "policy_decisions" WHERE "agent_id" = ?
        UNION ALL SELECT MIN("ts"), MAX("ts") FROM "handoffs" WHERE "agent_id" = ?) AS r`, [d.agentId, d.agentId, d.agentId]);
    if (range.lo === null || range.lo === undefined) {
      await execute(tx, dialect, `DELETE FROM "agent_stats" WHERE "agent_id" = ?`, [d.agentId]);
      continue;
    }
    await execute(tx, dialect,
      `UPDATE "agent_stats" SET ${STAT_COUNTS.map((c) => `"${c}" = "${c}" + ?`).join(", ")}, "first_ts" = ?, "last_ts" = ? WHERE "agent_id" = ?`,
      [...STAT_COUNTS.map((c) => d.counts[c]), num(range.lo), num(range.hi), d.agentId]);
  }
}

/** The deletion's log row, running. */
export async function insertDeletionLog(h: DbHandle, log: { id: string; at: number; actor: string; reason: string; scope: unknown; held: number }): Promise<void> {
  const { db, dialect } = h;
  await execute(db, dialect,
    `INSERT INTO "deletions" ("id", "at", "actor", "reason", "scope", "status", "held") VALUES (?, ?, ?, ?, ?, 'running', ?)`,
    [log.id, log.at, log.actor, log.reason, JSON.stringify(log.scope), log.held]);
}

/** Adds one batch's removals to the deletion's row and to its per-agent gap. */
export async function logDeletionBatch(h: DbHandle, deletionId: string, table: RecordTable, agent: string, rows: readonly { ts: number }[], held: number): Promise<void> {
  const { db: tx, dialect } = h;
  await execute(tx, dialect, `UPDATE "deletions" SET "${table}" = "${table}" + ?, "held" = "held" + ? WHERE "id" = ?`, [rows.length, held, deletionId]);
  if (rows.length === 0) return;
  let lo = rows[0].ts;
  let hi = rows[0].ts;
  for (const r of rows) {
    if (r.ts < lo) lo = r.ts;
    if (r.ts > hi) hi = r.ts;
  }
  const [least, greatest] = leastGreatest(dialect);
  await execute(tx, dialect,
    `INSERT INTO "deletion_agents" ("deletion_id", "agent_id", "${table}", "first_ts", "last_ts") VALUES (?, ?, ?, ?, ?)
     ON CONFLICT ("deletion_id", "agent_id") DO UPDATE SET "${table}" = "deletion_agents"."${table}" + excluded."${table}",
       "first_ts" = ${least}("deletion_agents"."first_ts", excluded."first_ts"), "last_ts" = ${greatest}("deletion_agents"."last_ts", excluded."last_ts")`,
    [deletionId, agent, rows.length, lo, hi]);
}

/** The deletion finished: done, or failed with this error. */
export async function finishDeletionLog(h: DbHandle, id: string, at: number, error?: string): Promise<void> {
  const { db, dialect } = h;
  if (error === undefined) await execute(db, dialect, `UPDATE "deletions" SET "status" = 'done', "finished_at" = ? WHERE "id" = ?`, [at, id]);
  else await execute(db, dialect, `UPDATE "deletions" SET "status" = 'failed', "finished_at" = ?, "error" = ? WHERE "id" = ?`, [at, error, id]);
}
