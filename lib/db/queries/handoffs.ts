// Handoffs: the list, one stored handoff, the intercepts its claims may rest on, and the reads
// and writes that keep `verdict_outcome` current. lib/handoffs/service.ts shapes them for the
// API; lib/handoffs/candidates.ts picks the look-ups from the claims; lib/ingest/outcomes.ts
// judges (the analysis itself is pure, lib/analysis/handoff-analysis.ts).
import type { DbHandle } from "../client";
import { bool, num, query, execute } from "../sql";
import { jsonRows } from "../dialect";
import { encodeTsIdCursor, type TsIdCursor } from "../../pagination/cursor";
import { tryParseJson, type Json } from "../../records/json";
import type { CallKind } from "../../analysis/classify-call";
import type { HandoffSubject, RecordedCall } from "../../analysis/claims";
import type { Outcome } from "../../analysis/claim-modes";
import type { EvaluatorOutcome } from "../../records/handoff";
import type { HandoffCategory } from "../../analysis/cause-category";
import type { ReviewState } from "../../records/review";
import type { CauseCode } from "../../analysis/causes";


/** A stored handoff's list columns, as read (lib/handoffs/service.ts shapes it for the API). */
export interface HandoffRow {
  id: string;
  source: string;
  source_id: string | null;
  agent_id: string;
  created_at: string;
  ts: number;
  generation: string;
  run_id: string | null;
  task: string | null;
  claim_count: number;
  evaluator_outcome: EvaluatorOutcome | null;
  verdict_outcome: Outcome | null;
  primary_cause: CauseCode | null;
  cause_category: HandoffCategory | null;
  review_state: ReviewState | null;
}

const SUMMARY_COLS = `"id", "source", "source_id", "agent_id", "created_at", "ts", "generation", "run_id", "task", "claim_count", "evaluator_outcome", "verdict_outcome", "primary_cause", "cause_category", "review_state"`;

function handoffRow(r: Record<string, unknown>): HandoffRow {
  return {
    id: String(r.id),
    source: String(r.source),
    source_id: (r.source_id as string | null) ?? null,
    agent_id: String(r.agent_id),
    created_at: String(r.created_at),
    ts: num(r.ts),
    generation: String(r.generation),
    run_id: (r.run_id as string | null) ?? null,
    task: (r.task as string | null) ?? null,
    claim_count: num(r.claim_count),
    evaluator_outcome: (r.evaluator_outcome as EvaluatorOutcome | null) ?? null,
    verdict_outcome: (r.verdict_outcome as Outcome | null) ?? null,
    primary_cause: (r.primary_cause as CauseCode | null) ?? null,
    cause_category: (r.cause_category as HandoffCategory | null) ?? null,
    review_state: (r.review_state as ReviewState | null) ?? null,
  };
}

export interface HandoffFilter {
  outcome?: EvaluatorOutcome;
  agentId?: string;
  /** a category, or "none": no cause found */
  category?: HandoffCategory | "none";
  cause?: CauseCode;
  /** a review state, or "unreviewed" */
  review?: ReviewState | "unreviewed";
  /** "differs": only handoffs where Verdict's outcome and the evaluator's disagree */
  agreement?: "differs";
  /** one UTC day, YYYY-MM-DD: only handoffs made that day */
  day?: string;
  /** where the previous page ended (the query schema decoded next_cursor) */
  cursor?: TsIdCursor;
  limit: number;
}

type Facet = "outcome" | "category" | "cause" | "review";

/** A UTC day (YYYY-MM-DD) as [start, end) in microseconds, as `ts` is stored. */
function dayRange(day: string): [number, number] {
  const start = Date.parse(`${day}T00:00:00Z`) * 1000;
  return [start, start + 86_400_000_000];
}

/** Verdict and the evaluator both reached an outcome, and not the same one (the overview's "disagree"). */
export const DISAGREES = `("evaluator_outcome" IS NOT NULL AND "evaluator_outcome" <> 'NOT_EVALUATED' AND "verdict_outcome" IS NOT NULL AND "evaluator_outcome" <> "verdict_outcome")`;
/** The shown outcome: the evaluator's, or Verdict's when none was sent. */
const SHOWN_OUTCOME = `COALESCE("evaluator_outcome", "verdict_outcome")`;

/** WHERE terms of a filter, leaving out one facet (a facet's counts ignore its own filter). */
function filterTerms(f: HandoffFilter, except?: Facet): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (f.agentId !== undefined) {
    where.push(`"agent_id" = ?`);
    params.push(f.agentId);
  }
  if (f.agreement === "differs") where.push(DISAGREES);
  if (f.day) {
    where.push(`"ts" >= ? AND "ts" < ?`);
    params.push(...dayRange(f.day));
  }
  if (f.outcome && except !== "outcome") {
    where.push(`("evaluator_outcome" = ? OR ("evaluator_outcome" IS NULL AND "verdict_outcome" = ?))`);
    params.push(f.outcome, f.outcome);
  }
  if (f.category && except !== "category") {
    if (f.category === "none") where.push(`"cause_category" IS NULL`);
    else {
      where.push(`"cause_category" = ?`);
      params.push(f.category);
    }
  }
  if (f.cause && except !== "cause") {
    where.push(`"primary_cause" = ?`);
    params.push(f.cause);
  }
  if (f.review && except !== "review") {
    if (f.review === "unreviewed") where.push(`"review_state" IS NULL`);
    else {
      where.push(`"review_state" = ?`);
      params.push(f.review);
    }
  }
  return { where, params };
}

/** Newest first; `outcome` matches the evaluator's outcome, or Verdict's when none was sent. */
export async function listHandoffs({ db, dialect }: DbHandle, f: HandoffFilter): Promise<{ handoffs: HandoffRow[]; next_cursor: string | null; counts: Awaited<ReturnType<typeof handoffCounts>> }> {
  const { where, params } = filterTerms(f);
  const after = f.cursor;
  if (after) {
    where.push(`("ts" < ? OR ("ts" = ? AND "id" < ?))`);
    params.push(after.ts, after.ts, after.id);
  }
  const [rows, counts] = await Promise.all([
    query(db, dialect, `SELECT ${SUMMARY_COLS} FROM "handoffs" ${where.length ? "WHERE " + where.join(" AND ") : ""} ORDER BY "ts" DESC, "id" DESC LIMIT ?`, [...params, f.limit + 1]),
    handoffCounts({ db, dialect }, f),
  ]);
  const page = rows.slice(0, f.limit);
  const last = page[page.length - 1];
  return {
    handoffs: page.map(handoffRow),
    next_cursor: rows.length > f.limit && last ? encodeTsIdCursor({ ts: num(last.ts), id: String(last.id) }) : null,
    counts,
  };
}

/**
 * The facets of the list (the API's HandoffCounts): how many handoffs each filter value would
 * show. One grouped scan of the agent's (or every) handoff, by shown outcome, category, cause
 * and review state — a few hundred groups at most — then each facet is counted from the
 * groups with the other filters applied.
 */
export async function handoffCounts({ db, dialect }: DbHandle, f: HandoffFilter) {
  const terms = [...(f.agentId !== undefined ? [`"agent_id" = ?`] : []), ...(f.agreement === "differs" ? [DISAGREES] : []), ...(f.day ? [`"ts" >= ? AND "ts" < ?`] : [])];
  const agent = { where: terms.length ? `WHERE ${terms.join(" AND ")}` : "", params: [...(f.agentId !== undefined ? [f.agentId] : []), ...(f.day ? dayRange(f.day) : [])] };
  const groups = (await query(db, dialect,
    `SELECT ${SHOWN_OUTCOME} AS "outcome", "cause_category" AS "category", "primary_cause" AS "cause", "review_state" AS "review", COUNT(*) AS "n"
     FROM "handoffs" ${agent.where} GROUP BY ${SHOWN_OUTCOME}, "cause_category", "primary_cause", "review_state"`, agent.params)).map((g) => ({
    outcome: (g.outcome as string | null) ?? "none",
    category: (g.category as string | null) ?? "none",
    cause: (g.cause as string | null) ?? "none",
    review: (g.review as string | null) ?? "unreviewed",
    n: num(g.n),
  }));
  const wanted: Record<Facet, string | undefined> = { outcome: f.outcome, category: f.category, cause: f.cause, review: f.review };
  const matches = (g: (typeof groups)[number], except?: Facet) => (Object.keys(wanted) as Facet[]).every((k) => k === except || wanted[k] === undefined || g[k] === wanted[k]);
  const facet = (k: Facet) => {
    const out: Record<string, number> = {};
    for (const g of groups) if (matches(g, k)) out[g[k]] = (out[g[k]] ?? 0) + g.n;
    return out;
  };
  return {
    total: groups.filter((g) => matches(g)).reduce((a, g) => a + g.n, 0),
    outcomes: facet("outcome"),
    categories: facet("category"),
    causes: facet("cause"),
    reviews: facet("review"),
  };
}

/** The handoffs before (newer) and after (older) this one in the list with this filter, for previous / next. */
export async function handoffNeighbours({ db, dialect }: DbHandle, id: string, f: Omit<HandoffFilter, "cursor" | "limit">): Promise<{ newer: string | null; older: string | null }> {
  const [self] = await query(db, dialect, `SELECT "ts" FROM "handoffs" WHERE "id" = ?`, [id]);
  if (!self) return { newer: null, older: null };
  const ts = num(self.ts);
  const { where, params } = filterTerms({ ...f, limit: 1 });
  const and = where.length ? ` AND ${where.join(" AND ")}` : "";
  const [newer] = await query(db, dialect, `SELECT "id" FROM "handoffs" WHERE ("ts" > ? OR ("ts" = ? AND "id" > ?))${and} ORDER BY "ts", "id" LIMIT 1`, [ts, ts, id, ...params]);
  const [older] = await query(db, dialect, `SELECT "id" FROM "handoffs" WHERE ("ts" < ? OR ("ts" = ? AND "id" < ?))${and} ORDER BY "ts" DESC, "id" DESC LIMIT 1`, [ts, ts, id, ...params]);
  return { newer: newer ? String(newer.id) : null, older: older ? String(older.id) : null };
}

/** The agents that have handoffs, for the filter. */
export async function handoffAgents({ db, dialect }: DbHandle): Promise<string[]> {
  const rows = await query<{ agent_id: string }>(db, dialect, `SELECT DISTINCT "agent_id" FROM "handoffs" ORDER BY "agent_id"`);
  return rows.map((r) => r.agent_id);
}

/** One stored handoff: its list columns, its subject (for the analysis) and the evaluation sent with it, or null. */
export async function findHandoff({ db, dialect }: DbHandle, id: string): Promise<{ row: HandoffRow; subject: HandoffSubject; evaluation: Json | null } | null> {
  const [row] = await query(db, dialect, `SELECT ${SUMMARY_COLS}, "payload", "evaluation" FROM "handoffs" WHERE "id" = ?`, [id]);
  if (!row) return null;
  const evaluation = row.evaluation ? (tryParseJson(String(row.evaluation))?.value ?? null) : null;
  return { row: handoffRow(row), subject: subjectOf(row), evaluation };
}

function subjectOf(row: Record<string, unknown>): HandoffSubject {
  return {
    id: String(row.id),
    source: String(row.source),
    agentId: String(row.agent_id),
    ts: num(row.ts),
    payload: tryParseJson(String(row.payload))?.value ?? {},
  };
}

const CALL_COLS = `"id", "source", "source_id", "agent_id", "action_name", "kind", "llm_provider", "source_url", "method", "created_at", "ts", "call_ref", "is_leak", "leak_tool_intercept_id", "raw_response"`;

function recordedCall(r: Record<string, unknown>): RecordedCall {
  return {
    id: String(r.id),
    source: String(r.source),
    sourceId: (r.source_id as string | null) ?? null,
    agentId: String(r.agent_id),
    actionName: String(r.action_name),
    kind: String(r.kind) as CallKind,
    llmProvider: (r.llm_provider as string | null) ?? null,
    sourceUrl: String(r.source_url),
    method: String(r.method),
    createdAt: String(r.created_at),
    ts: num(r.ts),
    callRef: (r.call_ref as string | null) ?? null,
    isLeak: bool(r.is_leak),
    leakToolId: (r.leak_tool_intercept_id as string | null) ?? null,
    response: r.raw_response === null || r.raw_response === undefined ? null : (tryParseJson(String(r.raw_response))?.value ?? { text: String(r.raw_response) }),
  };
}

// The reads the analysis of a handoff rests on (lib/handoffs/candidates.ts picks which, from
// its claims), each an indexed look-up returning the calls as the analysis reads them.

/** Intercepts of a source by their source ids (the claims' query_record_id / intercept_id). */
export async function callsBySourceIds(h: DbHandle, source: string, sourceIds: string[]): Promise<RecordedCall[]> {
  const { db: tx, dialect } = h;
  return (await query(tx, dialect, `SELECT ${CALL_COLS} FROM "intercepts" WHERE "source" = ? AND "source_id" IN (${sourceIds.map(() => "?").join(", ")})`, [source, ...sourceIds])).map(recordedCall);
}

/** Intercepts with one of these call_refs, newest first (at most 1,000). */
export async function callsByCallRefs(h: DbHandle, callRefs: string[]): Promise<RecordedCall[]> {
  const { db: tx, dialect } = h;
  return (await query(tx, dialect, `SELECT ${CALL_COLS} FROM "intercepts" WHERE "call_ref" IN (${callRefs.map(() => "?").join(", ")}) ORDER BY "ts" DESC LIMIT 1000`, callRefs)).map(recordedCall);
}

/** The agent's newest tool, LLM and untagged call with this tag at or before `ts` (one seek per kind on (agent_id, action_name, kind, ts)). */
export async function newestCallsOfTag(h: DbHandle, agentId: string, action: string, ts: number): Promise<RecordedCall[]> {
  const { db: tx, dialect } = h;
  const newestOfKind = (kind: string) =>
    `SELECT * FROM (SELECT ${CALL_COLS} FROM "intercepts" WHERE "agent_id" = ? AND "action_name" = ? AND "kind" = '${kind}' AND "ts" <= ? ORDER BY "ts" DESC, "id" DESC LIMIT 1) AS ${kind}`;
  const sql = ["tool_call", "llm_call", "untagged_call"].map(newestOfKind).join(" UNION ALL ");
  return (await query(tx, dialect, sql, [agentId, action, ts, agentId, action, ts, agentId, action, ts])).map(recordedCall);
}

/** Intercepts by Verdict id. */
export async function callsByIds(h: DbHandle, ids: string[]): Promise<RecordedCall[]> {
  const { db: tx, dialect } = h;
  return (await query(tx, dialect, `SELECT ${CALL_COLS} FROM "intercepts" WHERE "id" IN (${ids.map(() => "?").join(", ")})`, ids)).map(recordedCall);
}

/** The agent's 50 newest untagged calls at or before `ts`. */
export async function recentUntaggedCalls(h: DbHandle, agentId: string, ts: number): Promise<RecordedCall[]> {
  const { db: tx, dialect } = h;
  return (await query(tx, dialect,
    `SELECT ${CALL_COLS} FROM "intercepts" WHERE "agent_id" = ? AND "action_name" = 'unknown' AND "kind" = 'untagged_call' AND "ts" <= ? ORDER BY "ts" DESC, "id" DESC LIMIT 50`,
    [agentId, ts])).map(recordedCall);
}

/** The 5 newest tool calls with this tag under other agent ids (the rare path: not covered by an index on action alone). */
export async function toolCallsOfTagElsewhere(h: DbHandle, action: string, agentId: string): Promise<RecordedCall[]> {
  const { db: tx, dialect } = h;
  return (await query(tx, dialect,
    `SELECT ${CALL_COLS} FROM "intercepts" WHERE "action_name" = ? AND "kind" = 'tool_call' AND "agent_id" <> ? ORDER BY "ts" DESC LIMIT 5`,
    [action, agentId])).map(recordedCall);
}

/** The first `limitPerAgent` handoffs of each agent at or after its earliest new row; one statement for all agents. */
export async function handoffIdsToRefresh(h: DbHandle, earliest: [agentId: string, ts: number][], limitPerAgent: number): Promise<string[]> {
  const { db: tx, dialect } = h;
  const j = jsonRows(dialect, "s");
  const scope = `SELECT ${j.col(0)} AS agent_id, ${j.col(1, "bigint")} AS from_ts FROM ${j.from}`;
  const rows = await query<{ id: string }>(tx, dialect, `SELECT x."id" FROM (
      SELECT h."id", ROW_NUMBER() OVER (PARTITION BY h."agent_id" ORDER BY h."ts", h."id") AS n
      FROM (${scope}) AS s JOIN "handoffs" h ON h."agent_id" = s.agent_id AND h."ts" >= s.from_ts
    ) AS x WHERE x.n <= ?`, [JSON.stringify(earliest), limitPerAgent]);
  return rows.map((r) => r.id);
}

/** A stored handoff as its re-judging reads it: what the analysis takes and what is stored of its last verdict. */
export interface HandoffToJudge {
  subject: HandoffSubject;
  createdAt: string;
  task: string | null;
  evaluation: Json | null;
  evaluatorOutcome: Outcome | null;
  verdictOutcome: Outcome | null;
  primaryCause: CauseCode | null;
  causeCategory: HandoffCategory | null;
  causesVersion: number;
}

/** These handoffs (at most a few hundred ids), for re-judging. */
export async function handoffsToJudge(h: DbHandle, ids: string[]): Promise<HandoffToJudge[]> {
  const { db: tx, dialect } = h;
  const rows = await query(tx, dialect,
    `SELECT "id", "source", "agent_id", "ts", "created_at", "task", "payload", "evaluation", "evaluator_outcome", "verdict_outcome", "primary_cause", "cause_category", "causes_version" FROM "handoffs" WHERE "id" IN (${ids.map(() => "?").join(", ")})`, ids);
  return rows.map((row) => ({
    subject: subjectOf(row),
    createdAt: String(row.created_at),
    task: (row.task as string | null) ?? null,
    evaluation: row.evaluation ? (tryParseJson(String(row.evaluation))?.value ?? null) : null,
    evaluatorOutcome: (row.evaluator_outcome as Outcome | null) ?? null,
    verdictOutcome: (row.verdict_outcome as Outcome | null) ?? null,
    primaryCause: (row.primary_cause as CauseCode | null) ?? null,
    causeCategory: (row.cause_category as HandoffCategory | null) ?? null,
    causesVersion: num(row.causes_version),
  }));
}

/** Stores Verdict's outcome, primary cause and category of a handoff, and the analysis version they came from. */
export async function storeVerdict(h: DbHandle, id: string, v: { outcome: Outcome; cause: CauseCode | null; category: HandoffCategory | null }, causesVersion: number): Promise<void> {
  const { db: tx, dialect } = h;
  await execute(tx, dialect, `UPDATE "handoffs" SET "verdict_outcome" = ?, "primary_cause" = ?, "cause_category" = ?, "causes_version" = ? WHERE "id" = ?`,
    [v.outcome, v.cause, v.category, causesVersion, id]);
}

/** Handoffs whose causes were stored under an older analysis than `causesVersion` (or never), a page at a time. */
export async function handoffsWithStaleCauses(h: DbHandle, causesVersion: number, limit: number): Promise<{ id: string; agent_id: string }[]> {
  const { db: tx, dialect } = h;
  return query(tx, dialect, `SELECT "id", "agent_id" FROM "handoffs" WHERE "causes_version" < ? ORDER BY "id" LIMIT ?`, [causesVersion, limit]);
}
