// Per-agent counts (the agent_stats table), kept current by ingest inside the request's
// transaction (lib/ingest/stats.ts works out the deltas; this applies them). Reading the
// agents list is then one row per agent, whatever the number of stored calls.
import type { Tx, ClientHandle, DbHandle } from "../client";
import type { Dialect } from "../config";
import { execute } from "../sql";
import { jsonRows, leastGreatest } from "../dialect";

export const STAT_COUNTS = ["intercepts", "llm_calls", "tool_calls", "untagged_calls", "leaks", "policy_decisions", "blocks", "handoffs", "caught"] as const;
export type StatCount = (typeof STAT_COUNTS)[number];
/** Every column of agent_stats after agent_id. */
export const STAT_COLUMNS = [...STAT_COUNTS, "first_ts", "last_ts"] as const;
const quotedStatColumns = STAT_COLUMNS.map((c) => `"${c}"`).join(", ");

/** What one batch adds to an agent's row. firstTs/lastTs: null when the batch stored nothing of the agent's. */
export interface AgentStatsDelta {
  agentId: string;
  counts: Record<StatCount, number>;
  firstTs: number | null;
  lastTs: number | null;
}

/** One upsert for the whole batch; the parameter is the deltas as JSON arrays. */
export function applyStatsSql(dialect: Dialect): string {
  const cols = STAT_COLUMNS;
  const j = jsonRows(dialect, "d");
  const source = `SELECT ${j.col(0)} AS agent_id, ${cols.map((c, i) => `${j.col(i + 1, "bigint")} AS ${c}`).join(", ")} FROM ${j.from}`;
  const [least, greatest] = leastGreatest(dialect);
  // A batch that only changed counts of older rows has no first/last: keep the stored ones.
  // (SQLite's two-argument MIN/MAX give NULL when one side is NULL, hence the COALESCE.)
  // `WHERE true` keeps SQLite from reading ON CONFLICT as a join constraint.
  return `INSERT INTO "agent_stats" ("agent_id", ${quotedStatColumns})
    SELECT agent_id, ${cols.join(", ")} FROM (${source}) AS d WHERE true
    ON CONFLICT ("agent_id") DO UPDATE SET ${STAT_COUNTS.map((c) => `"${c}" = "agent_stats"."${c}" + excluded."${c}"`).join(", ")},
      "first_ts" = COALESCE(${least}("agent_stats"."first_ts", excluded."first_ts"), "agent_stats"."first_ts"),
      "last_ts" = COALESCE(${greatest}("agent_stats"."last_ts", excluded."last_ts"), "agent_stats"."last_ts")`;
}

export async function applyAgentStats(h: DbHandle, deltas: AgentStatsDelta[]): Promise<void> {
  const { db: tx, dialect } = h;
  if (deltas.length === 0) return;
  // A null first/last leaves the stored one (MIN/LEAST with NULL, then COALESCE).
  const json = JSON.stringify(deltas.map((d) => [d.agentId, ...STAT_COUNTS.map((c) => d.counts[c]), d.firstTs, d.lastTs]));
  await execute(tx, dialect, applyStatsSql(dialect), [json]);
}

/** Every agent's counts from the three tables: what the maintained rows must always equal. */
export function computedStatsSql(): string {
  return `SELECT "agent_id", ${STAT_COUNTS.map((c) => `CAST(SUM("${c}") AS BIGINT) AS "${c}"`).join(", ")}, MIN("first_ts") AS "first_ts", MAX("last_ts") AS "last_ts" FROM (
      SELECT i."agent_id", COUNT(*) AS "intercepts",
        SUM(CASE WHEN i."kind" = 'llm_call' THEN 1 ELSE 0 END) AS "llm_calls",
        SUM(CASE WHEN i."kind" = 'tool_call' THEN 1 ELSE 0 END) AS "tool_calls",
        SUM(CASE WHEN i."kind" = 'untagged_call' THEN 1 ELSE 0 END) AS "untagged_calls",
        SUM(CASE WHEN i."is_leak" THEN 1 ELSE 0 END) AS "leaks",
        0 AS "policy_decisions", 0 AS "blocks", 0 AS "handoffs", 0 AS "caught", MIN(i."ts") AS "first_ts", MAX(i."ts") AS "last_ts"
      FROM "intercepts" i WHERE i."kind" <> 'filler' GROUP BY i."agent_id"
      UNION ALL
      SELECT p."agent_id", 0, 0, 0, 0, 0, COUNT(*), SUM(CASE WHEN p."blocks_call" THEN 1 ELSE 0 END), 0, 0, MIN(p."ts"), MAX(p."ts")
      FROM "policy_decisions" p GROUP BY p."agent_id"
      UNION ALL
      SELECT h."agent_id", 0, 0, 0, 0, 0, 0, 0, COUNT(*),
        SUM(CASE WHEN h."evaluator_outcome" = 'CAUGHT' OR h."verdict_outcome" = 'CAUGHT' THEN 1 ELSE 0 END), MIN(h."ts"), MAX(h."ts")
      FROM "handoffs" h GROUP BY h."agent_id"
    ) AS per_table GROUP BY "agent_id"`;
}

/** Recomputes agent_stats from the rows (after a bulk load that bypassed ingest, or to repair). */
export async function rebuildAgentStats(h: ClientHandle): Promise<void> {
  const { db, dialect } = h;
  await db.$transaction(async (tx: Tx) => {
    await execute(tx, dialect, `DELETE FROM "agent_stats"`);
    await execute(tx, dialect, `INSERT INTO "agent_stats" ("agent_id", ${quotedStatColumns}) ${computedStatsSql()}`);
  }, { maxWait: 60_000, timeout: 600_000 });
}
