import type { DbHandle } from "../client";
import { DISAGREES } from "./handoffs";
import { num, query } from "../sql";
import { boolSql, intDiv } from "../dialect";
import type { ReviewState } from "@/lib/records/review";

export interface OverviewCounts {
  agents: number;
  intercepts: number;
  llmCalls: number;
  leaks: number;
  untaggedCalls: number;
  policyDecisions: number;
  blocks: number;
  handoffs: number;
  caught: number;
}

/** The headline figures of the overview page (filler rows excluded), from agent_stats. */
export async function overviewCounts({ db, dialect }: DbHandle): Promise<OverviewCounts> {
  // blocks: tool calls blocked (one per blocked gate evaluation, however many edges fired), as on the agents list.
  const sums = ["intercepts", "llm_calls", "leaks", "untagged_calls", "policy_decisions", "blocks", "handoffs", "caught"];
  const totals = await query<Record<string, unknown>>(db, dialect,
    `SELECT COUNT(*) AS "agents", ${sums.map((c) => `CAST(COALESCE(SUM("${c}"), 0) AS BIGINT) AS "${c}"`).join(", ")} FROM "agent_stats"`);
  const t = totals[0] ?? {};
  return {
    agents: num(t.agents),
    intercepts: num(t.intercepts),
    llmCalls: num(t.llm_calls),
    leaks: num(t.leaks),
    untaggedCalls: num(t.untagged_calls),
    policyDecisions: num(t.policy_decisions),
    blocks: num(t.blocks),
    handoffs: num(t.handoffs),
    caught: num(t.caught),
  };
}

// ---------------------------------------------------------------------------------------------
// "Needs attention": what a reviewer should look at next. Reads the stored primary cause and
// category (handoffs.cause_category) and review state (handoffs.review_state, reviews); a CAUGHT
// verdict marked false_alarm leaves the chart, a reviewed one leaves "not yet reviewed".

/** CAUGHT as the handoff list's outcome filter means it: the evaluator's, or Verdict's when none was sent. */
const CAUGHT_SQL = `("evaluator_outcome" = 'CAUGHT' OR ("evaluator_outcome" IS NULL AND "verdict_outcome" = 'CAUGHT'))`;
/** Review states that close an item (a confirmed fault stays open until it is fixed). */
const CLOSED_STATES: readonly ReviewState[] = ["false_alarm", "fixed"];
const closedList = CLOSED_STATES.map((s) => `'${s}'`).join(", ");
const DAY = 86_400_000_000;

/** A handoff row as "needs attention" lists it. */
export interface AttentionHandoffRow {
  id: string;
  agent_id: string;
  task: string | null;
  created_at: string;
  cause_category: string | null;
  primary_cause: string | null;
  evaluator_outcome: string | null;
  verdict_outcome: string | null;
}

/** An intercept row as "needs attention" lists it (a leak nobody has closed). */
export interface AttentionLeakRow {
  id: string;
  agent_id: string;
  action_name: string;
  source_url: string;
  created_at: string;
}

/** What "needs attention" reads; lib/overview/service.ts arranges it by day. */
export interface AttentionRows {
  /** CAUGHT verdicts (false alarms left out) per UTC day number and category ("none": no cause) */
  caughtPerDay: { day: number; category: string; n: number }[];
  unreviewed: { count: number; newest: AttentionHandoffRow[] };
  disagreements: { count: number; newest: AttentionHandoffRow[] };
  leaks: AttentionLeakRow[];
}


const handoffCols = `"id", "agent_id", "task", "created_at", "cause_category", "primary_cause", "evaluator_outcome", "verdict_outcome"`;
const toHandoff = (r: Record<string, unknown>): AttentionHandoffRow => ({
  id: String(r.id), agent_id: String(r.agent_id), task: (r.task as string | null) ?? null, created_at: String(r.created_at),
  cause_category: (r.cause_category as string | null) ?? null, primary_cause: (r.primary_cause as string | null) ?? null,
  evaluator_outcome: (r.evaluator_outcome as string | null) ?? null, verdict_outcome: (r.verdict_outcome as string | null) ?? null,
});

/** The rows of "needs attention", counting CAUGHT verdicts from the start of UTC day `fromDay` (days since the epoch) on. */
export async function attentionRows(conn: DbHandle, fromDay: number): Promise<AttentionRows> {
  const { db, dialect } = conn;
  const from = fromDay * DAY;
  const dayExpr = intDiv(dialect, `"ts"`, DAY);
  const notFalseAlarm = `("review_state" IS NULL OR "review_state" <> 'false_alarm')`;
  // Verdict and evaluator differ (NOT_EVALUATED is no verdict to differ from), as the list's "differs".
  const disagrees = DISAGREES;
  const [perDay, unreviewedCount, unreviewed, disagreeCount, disagreeing, leaks] = await Promise.all([
    query<{ d: unknown; c: unknown; n: unknown }>(db, dialect,
      `SELECT ${dayExpr} AS "d", COALESCE("cause_category", 'none') AS "c", COUNT(*) AS "n" FROM "handoffs"
       WHERE "ts" >= ? AND ${CAUGHT_SQL} AND ${notFalseAlarm} GROUP BY ${dayExpr}, COALESCE("cause_category", 'none')`, [from]),
    query<{ n: unknown }>(db, dialect, `SELECT COUNT(*) AS "n" FROM "handoffs" WHERE ${CAUGHT_SQL} AND "review_state" IS NULL`),
    query(db, dialect, `SELECT ${handoffCols} FROM "handoffs" WHERE ${CAUGHT_SQL} AND "review_state" IS NULL ORDER BY "ts" DESC, "id" DESC LIMIT 5`),
    query<{ n: unknown }>(db, dialect, `SELECT COUNT(*) AS "n" FROM "handoffs" WHERE ${disagrees} AND ("review_state" IS NULL OR "review_state" NOT IN (${closedList}))`),
    query(db, dialect, `SELECT ${handoffCols} FROM "handoffs" WHERE ${disagrees} AND ("review_state" IS NULL OR "review_state" NOT IN (${closedList})) ORDER BY "ts" DESC, "id" DESC LIMIT 5`),
    newestOpenLeaks(conn, 5),
  ]);
  return {
    caughtPerDay: perDay.map((r) => ({ day: num(r.d), category: String(r.c), n: num(r.n) })),
    unreviewed: { count: num(unreviewedCount[0]?.n), newest: unreviewed.map(toHandoff) },
    disagreements: { count: num(disagreeCount[0]?.n), newest: disagreeing.map(toHandoff) },
    leaks,
  };
}

/**
 * The newest leaks whose newest review does not close them. Leaks are found per leaking agent
 * on the (agent_id, is_leak, ts) index: there is no index on is_leak alone to scan newest first.
 */
async function newestOpenLeaks({ db, dialect }: DbHandle, limit: number): Promise<AttentionLeakRow[]> {
  const agents = await query<{ agent_id: string }>(db, dialect, `SELECT "agent_id" FROM "agent_stats" WHERE "leaks" > 0 ORDER BY "last_ts" DESC LIMIT 50`);
  const perAgent = await Promise.all(
    agents.map((a) =>
      query<Record<string, unknown>>(db, dialect,
        `SELECT "id", "agent_id", "action_name", "source_url", "created_at", "ts" FROM "intercepts" WHERE "agent_id" = ? AND "is_leak" = ${boolSql(dialect, true)} ORDER BY "ts" DESC, "id" DESC LIMIT ?`,
        [a.agent_id, limit * 3]),
    ),
  );
  const candidates = perAgent.flat().sort((x, y) => num(y.ts) - num(x.ts) || String(y.id).localeCompare(String(x.id))).slice(0, limit * 3);
  if (!candidates.length) return [];
  const reviews = await query<{ subject_id: string; state: string; ts: unknown; id: string }>(db, dialect,
    `SELECT "subject_id", "state", "ts", "id" FROM "reviews" WHERE "subject_type" = 'intercept' AND "subject_id" IN (${candidates.map(() => "?").join(", ")})`,
    candidates.map((c) => c.id));
  const newest = new Map<string, { state: string; ts: number; id: string }>();
  for (const r of reviews) {
    const prev = newest.get(r.subject_id);
    if (!prev || num(r.ts) > prev.ts || (num(r.ts) === prev.ts && r.id > prev.id)) newest.set(r.subject_id, { state: r.state, ts: num(r.ts), id: r.id });
  }
  return candidates
    .filter((c) => !CLOSED_STATES.includes(newest.get(String(c.id))?.state as ReviewState))
    .slice(0, limit)
    .map((c) => ({ id: String(c.id), agent_id: String(c.agent_id), action_name: String(c.action_name), source_url: String(c.source_url), created_at: String(c.created_at) }));
}
