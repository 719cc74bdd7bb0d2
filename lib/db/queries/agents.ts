// Agents as the three tables know them: counts per agent (docs/api.md, GET /api/v1/agents),
// the tag uses the leak findings are computed from, and calls per time bucket for the chart.
import type { DbHandle } from "../client";
import { num, query } from "../sql";
import { intDiv } from "../dialect";
import type { TagUse } from "@/lib/analysis/leaks";
import type { CallKind } from "@/lib/analysis/classify-call";
import { STAT_COLUMNS, STAT_COUNTS, type StatCount } from "./agent-stats";


/** One agent_stats row: the counts, and the first and last instants in microseconds. */
export type AgentStatsRow = { agent_id: string; first_ts: number; last_ts: number } & Record<StatCount, number>;

const STATS_COLS = ["agent_id", ...STAT_COLUMNS].map((c) => `"${c}"`).join(", ");

function toRow(r: Record<string, unknown>): AgentStatsRow {
  const out = { agent_id: String(r.agent_id) } as AgentStatsRow;
  for (const c of STAT_COUNTS) out[c] = num(r[c]);
  out.first_ts = num(r.first_ts);
  out.last_ts = num(r.last_ts);
  return out;
}

/** From agent_stats, which ingest keeps current: one row per agent, however many calls are stored. */
export async function listAgents({ db, dialect }: DbHandle): Promise<AgentStatsRow[]> {
  const rows = await query<Record<string, unknown>>(db, dialect, `SELECT ${STATS_COLS} FROM "agent_stats" ORDER BY "agent_id"`);
  return rows.map(toRow);
}

export async function getAgent({ db, dialect }: DbHandle, agentId: string): Promise<AgentStatsRow | null> {
  const rows = await query<Record<string, unknown>>(db, dialect, `SELECT ${STATS_COLS} FROM "agent_stats" WHERE "agent_id" = ?`, [agentId]);
  return rows.length ? toRow(rows[0]) : null;
}

/** Which tag went to which host on which kind of call, per run: the input of the tag findings. */
export async function agentTagUses({ db, dialect }: DbHandle, agentId: string): Promise<TagUse[]> {
  const rows = await query<{ action_name: string; kind: string; host: string; run_id: string | null; n: unknown }>(
    db,
    dialect,
    `SELECT "action_name", "kind", "host", "run_id", COUNT(*) AS "n" FROM "intercepts"
     WHERE "agent_id" = ? AND "kind" <> 'filler' GROUP BY "action_name", "kind", "host", "run_id"`,
    [agentId],
  );
  return rows.map((r) => ({ actionName: r.action_name, kind: r.kind as CallKind, host: r.host, runId: r.run_id, count: num(r.n) }));
}

/** The action names an agent's handoffs claim (a claimed tag is a tool action). */
export async function claimedActionNames({ db }: DbHandle, agentId: string): Promise<Set<string>> {
  const rows = await db.handoff.findMany({ where: { agentId }, select: { payload: true }, take: 500, orderBy: { ts: "desc" } });
  const names = new Set<string>();
  for (const r of rows) {
    try {
      const claims = (JSON.parse(r.payload) as { claims?: { action_name?: unknown }[] }).claims ?? [];
      for (const c of claims) if (typeof c.action_name === "string") names.add(c.action_name);
    } catch {
      /* a payload is stored only after it parsed; nothing to add if it somehow does not */
    }
  }
  return names;
}

/** Calls and leaks per bucket of `minutes` width; start in microseconds. */
export interface ActivityRows {
  minutes: number;
  rows: { start: number; calls: number; leaks: number }[];
}

/**
 * Calls per bucket (one minute, or wider so that at most `maxBuckets` cover the agent's
 * span). Grouped in the database, so an agent with a million calls costs one pass, not a transfer.
 * The width follows the span of the middle 98% of calls: one stray call days away would
 * otherwise widen every bucket until the rest is a single bar (the chart draws the gap as a break).
 */
export async function activityRows({ db, dialect }: DbHandle, agentId: string, maxBuckets = 240): Promise<ActivityRows> {
  const where = `"agent_id" = ? AND "kind" <> 'filler'`;
  const span = await query<{ lo: unknown; hi: unknown; n: unknown }>(db, dialect, `SELECT MIN("ts") AS "lo", MAX("ts") AS "hi", COUNT(*) AS "n" FROM "intercepts" WHERE ${where}`, [agentId]);
  if (!span[0] || span[0].lo === null) return { minutes: 1, rows: [] };
  let lo = num(span[0].lo);
  let hi = num(span[0].hi);
  const n = num(span[0].n);
  if (n >= 50) {
    const at = async (offset: number) =>
      num((await query<{ ts: unknown }>(db, dialect, `SELECT "ts" FROM "intercepts" WHERE ${where} ORDER BY "ts" LIMIT 1 OFFSET ${offset}`, [agentId]))[0]?.ts);
    [lo, hi] = await Promise.all([at(Math.floor(n * 0.01)), at(Math.floor(n * 0.99) - 1)]);
  }
  const minutes = Math.max(1, Math.ceil((hi - lo) / 60_000_000 / maxBuckets));
  const width = minutes * 60_000_000;
  const bucketExpr = intDiv(dialect, `"ts"`, width);
  const rows = await query<{ b: unknown; calls: unknown; leaks: unknown }>(
    db,
    dialect,
    `SELECT ${bucketExpr} AS "b", COUNT(*) AS "calls", CAST(SUM(CASE WHEN "is_leak" THEN 1 ELSE 0 END) AS BIGINT) AS "leaks"
     FROM "intercepts" WHERE "agent_id" = ? AND "kind" <> 'filler' GROUP BY ${bucketExpr} ORDER BY 1`,
    [agentId],
  );
  return { minutes, rows: rows.map((r) => ({ start: num(r.b) * width, calls: num(r.calls), leaks: num(r.leaks) })) };
}
