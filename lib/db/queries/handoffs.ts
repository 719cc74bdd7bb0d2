// Handoffs: the list, one stored handoff with the intercepts its claims may rest on, and
// keeping `verdict_outcome` current (lib/handoffs/service.ts shapes them for the API). The candidate intercepts a handoff's claims may rest on are fetched with indexed
// look-ups; the analysis itself is pure (lib/analysis/handoff-analysis.ts).
import type { Db, Tx } from "../client";
import type { Dialect } from "../config";
import { bool, num, query, execute } from "../sql";
import { jsonRows } from "../dialect";
import { encodeTsIdCursor, type TsIdCursor } from "../../pagination/cursor";
import { tryParseJson, type Json } from "../../records/json";
import type { CallKind } from "../../analysis/classify-call";
import { readClaims, type HandoffSubject, type RecordedCall } from "../../analysis/claims";
import { analyzeHandoff } from "../../analysis/handoff-analysis";
import type { Outcome } from "../../analysis/claim-modes";
import type { EvaluatorOutcome } from "../../records/handoff";
import { handoffCategory, type HandoffCategory } from "../../analysis/cause-category";
import type { ReviewState } from "../../records/review";
import type { CauseCode } from "../../analysis/causes";

type Conn = { db: Db; dialect: Dialect };

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
export async function listHandoffs({ db, dialect }: Conn, f: HandoffFilter): Promise<{ handoffs: HandoffRow[]; next_cursor: string | null; counts: Awaited<ReturnType<typeof handoffCounts>> }> {
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
export async function handoffCounts({ db, dialect }: Conn, f: HandoffFilter) {
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
export async function handoffNeighbours({ db, dialect }: Conn, id: string, f: Omit<HandoffFilter, "cursor" | "limit">): Promise<{ newer: string | null; older: string | null }> {
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
export async function handoffAgents({ db, dialect }: Conn): Promise<string[]> {
  const rows = await query<{ agent_id: string }>(db, dialect, `SELECT DISTINCT "agent_id" FROM "handoffs" ORDER BY "agent_id"`);
  return rows.map((r) => r.agent_id);
}

/** One stored handoff: its list columns, its subject (for the analysis) and the evaluation sent with it, or null. */
export async function findHandoff({ db, dialect }: Conn, id: string): Promise<{ row: HandoffRow; subject: HandoffSubject; evaluation: Json | null } | null> {
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

/**
 * The intercepts a handoff's claims may rest on: rows named by query_record_id (same source),
 * rows with a claim's call_ref, and per tag the newest tool, LLM and untagged row at or before
 * the handoff (the loader's candidates). With `forCauses`, also what the causes need: the tool
 * calls leaked LLM rows point at, the agent's recent untagged calls, and — only when the tag was
 * never recorded for this agent — the newest calls with that tag under other agent ids.
 */
export async function fetchEvidence(tx: Tx, dialect: Dialect, h: HandoffSubject, forCauses: boolean): Promise<RecordedCall[]> {
  const claims = readClaims(h.payload);
  const found = new Map<string, RecordedCall>();
  const add = (rows: Record<string, unknown>[]) => rows.forEach((r) => found.set(String(r.id), recordedCall(r)));
  const recordIds = [...new Set(claims.flatMap((c) => [c.queryRecordId, c.interceptId ?? null]).filter((x): x is string => x !== null))].slice(0, 500);
  if (recordIds.length) {
    add(await query(tx, dialect, `SELECT ${CALL_COLS} FROM "intercepts" WHERE "source" = ? AND "source_id" IN (${recordIds.map(() => "?").join(", ")})`, [h.source, ...recordIds]));
  }
  const callRefs = [...new Set(claims.map((c) => c.callRef).filter((x): x is string => x !== null))].slice(0, 500);
  if (callRefs.length) {
    add(await query(tx, dialect, `SELECT ${CALL_COLS} FROM "intercepts" WHERE "call_ref" IN (${callRefs.map(() => "?").join(", ")}) ORDER BY "ts" DESC LIMIT 1000`, callRefs));
  }
  // Generation B has no loader by tag: its claims rest on their call_ref (or intercept_id) only.
  const actions = [...new Set(claims.filter((c) => c.generation !== "B").map((c) => c.actionName).filter((x): x is string => x !== null))].slice(0, 200);
  const newestOfKind = (kind: string) =>
    `SELECT * FROM (SELECT ${CALL_COLS} FROM "intercepts" WHERE "agent_id" = ? AND "action_name" = ? AND "kind" = '${kind}' AND "ts" <= ? ORDER BY "ts" DESC, "id" DESC LIMIT 1) AS ${kind}`;
  for (const action of actions) {
    // One look-up per kind, each a seek on (agent_id, action_name, kind, ts).
    const sql = ["tool_call", "llm_call", "untagged_call"].map(newestOfKind).join(" UNION ALL ");
    add(await query(tx, dialect, sql, [h.agentId, action, h.ts, h.agentId, action, h.ts, h.agentId, action, h.ts]));
  }
  if (!forCauses) return [...found.values()];
  return causeEvidence(tx, dialect, h, [...found.values()]);
}

/** fetchEvidence's `forCauses` part: the calls the causes need beyond the claims' candidates. */
export async function causeEvidence(tx: Tx, dialect: Dialect, h: HandoffSubject, candidates: RecordedCall[]): Promise<RecordedCall[]> {
  const claims = readClaims(h.payload);
  const found = new Map(candidates.map((c) => [c.id, c]));
  const add = (rows: Record<string, unknown>[]) => rows.forEach((r) => found.set(String(r.id), recordedCall(r)));
  const actions = [...new Set(claims.filter((c) => c.generation !== "B").map((c) => c.actionName).filter((x): x is string => x !== null))].slice(0, 200);
  const leakTools = [...new Set([...found.values()].map((c) => c.leakToolId).filter((x): x is string => x !== null && !found.has(x)))];
  if (leakTools.length) add(await query(tx, dialect, `SELECT ${CALL_COLS} FROM "intercepts" WHERE "id" IN (${leakTools.map(() => "?").join(", ")})`, leakTools));
  add(await query(tx, dialect,
    `SELECT ${CALL_COLS} FROM "intercepts" WHERE "agent_id" = ? AND "action_name" = 'unknown' AND "kind" = 'untagged_call' AND "ts" <= ? ORDER BY "ts" DESC, "id" DESC LIMIT 50`,
    [h.agentId, h.ts]));
  for (const action of actions) {
    const hasTool = [...found.values()].some((c) => c.agentId === h.agentId && c.actionName === action && c.kind === "tool_call");
    if (hasTool) continue;
    // The rare path (the tag never recorded for this agent): not covered by an index on action alone.
    add(await query(tx, dialect,
      `SELECT ${CALL_COLS} FROM "intercepts" WHERE "action_name" = ? AND "kind" = 'tool_call' AND "agent_id" <> ? ORDER BY "ts" DESC LIMIT 5`,
      [action, h.agentId]));
  }
  return [...found.values()];
}

/** At most this many existing handoffs are re-checked per agent when its intercepts arrive. */
export const REFRESH_LIMIT_PER_AGENT = 200;

/** The first REFRESH_LIMIT_PER_AGENT handoffs of each agent at or after its earliest new row; parameters: [[agent, ts], ...] as JSON, the limit. */
export function handoffsToRefreshSql(dialect: Dialect): string {
  const j = jsonRows(dialect, "s");
  const scope = `SELECT ${j.col(0)} AS agent_id, ${j.col(1, "bigint")} AS from_ts FROM ${j.from}`;
  return `SELECT x."id" FROM (
      SELECT h."id", ROW_NUMBER() OVER (PARTITION BY h."agent_id" ORDER BY h."ts", h."id") AS n
      FROM (${scope}) AS s JOIN "handoffs" h ON h."agent_id" = s.agent_id AND h."ts" >= s.from_ts
    ) AS x WHERE x.n <= ?`;
}

/** A handoff whose Verdict outcome changed at ingest, with what alerts say about it. */
export interface OutcomeChange {
  id: string;
  agentId: string;
  source: string;
  ts: number;
  createdAt: string;
  task: string | null;
  evaluatorOutcome: Outcome | null;
  oldOutcome: Outcome | null;
  outcome: Outcome;
  causes: CauseCode[];
}

/**
 * The version of the stored causes: a handoff whose causes_version is lower was stored before
 * the analysis changed (or before causes were kept at all) and is refreshed at migrate.
 */
export const CAUSES_VERSION = 1;

/** What is kept with a handoff: Verdict's outcome, its primary cause and category (one analysis). */
export interface StoredVerdict {
  outcome: Outcome;
  causes: CauseCode[];
  cause: CauseCode | null;
  category: HandoffCategory | null;
}

/**
 * Verdict's outcome from the claims' candidate rows (the cheap look-ups); for a verdict that is
 * not PASS, the causes also from the rows only causes need (leaked rows' tool calls, untagged
 * calls, the tag under other agent ids), so the stored cause is the one the detail page shows.
 * A PASS has at most shared_call_ref, which the candidates already show.
 */
export async function judgeHandoff(tx: Tx, dialect: Dialect, subject: HandoffSubject, evaluation: Json | null, evaluatorOutcome: string | null): Promise<StoredVerdict> {
  const candidates = await fetchEvidence(tx, dialect, subject, false);
  const first = analyzeHandoff(subject, evaluation, candidates);
  const causes = first.outcome === "PASS" ? first.causes : analyzeHandoff(subject, evaluation, await causeEvidence(tx, dialect, subject, candidates)).causes;
  const { cause, category } = handoffCategory(evaluatorOutcome, causes);
  return { outcome: first.outcome, causes: causes.map((c) => c.code), cause, category };
}

/**
 * Keeps `verdict_outcome`, `primary_cause` and `cause_category` current (one analysis, so they
 * never disagree), inside the ingest transaction: for the handoffs just stored, and for
 * handoffs of agents whose intercepts just arrived that are at or after the earliest new row
 * (an earlier handoff cannot resolve to a later row). Bounded per agent, so a backfill into an
 * agent with thousands of handoffs stays cheap; the detail view always recomputes.
 * Returns per agent how many handoffs became CAUGHT (or stopped being, negative).
 */
export async function refreshVerdictOutcomes(tx: Tx, dialect: Dialect, handoffIds: string[], newIntercepts: { agentId: string; ts: number }[], changed?: OutcomeChange[]): Promise<Map<string, number>> {
  const ids = new Set(handoffIds);
  const earliest = new Map<string, number>();
  for (const r of newIntercepts) earliest.set(r.agentId, Math.min(earliest.get(r.agentId) ?? Infinity, r.ts));
  if (earliest.size) {
    // One statement for every agent of the batch (not one per agent): a batch from a fleet
    // touches dozens of agents, and most have no handoff to re-check at all.
    const rows = await query<{ id: string }>(tx, dialect, handoffsToRefreshSql(dialect), [
      JSON.stringify([...earliest].map(([agentId, ts]) => [agentId, ts])),
      REFRESH_LIMIT_PER_AGENT,
    ]);
    rows.forEach((r) => ids.add(r.id));
  }
  return refreshHandoffs(tx, dialect, [...ids], changed);
}

/**
 * Re-judges these handoffs and stores what changed; per agent, the change in CAUGHT handoffs.
 * Reads, analysis (lib/analysis) and writes interleave per handoff, in the caller's transaction.
 * It stays in lib/db for now: besides ingest and reclassify (lib/ingest), deletion
 * (delete-records.ts) and the migration's causes refresh (migrate.ts) run it from inside lib/db.
 */
export async function refreshHandoffs(tx: Tx, dialect: Dialect, all: string[], changed?: OutcomeChange[]): Promise<Map<string, number>> {
  const caught = new Map<string, number>();
  for (let i = 0; i < all.length; i += 500) {
    const chunk = all.slice(i, i + 500);
    const rows = await query(tx, dialect,
      `SELECT "id", "source", "agent_id", "ts", "created_at", "task", "payload", "evaluation", "evaluator_outcome", "verdict_outcome", "primary_cause", "cause_category", "causes_version" FROM "handoffs" WHERE "id" IN (${chunk.map(() => "?").join(", ")})`, chunk);
    for (const row of rows) {
      const subject = subjectOf(row);
      const evaluation = row.evaluation ? (tryParseJson(String(row.evaluation))?.value ?? null) : null;
      const v = await judgeHandoff(tx, dialect, subject, evaluation, (row.evaluator_outcome as string | null) ?? null);
      const outcomeChanged = v.outcome !== row.verdict_outcome;
      if (!outcomeChanged && v.cause === (row.primary_cause ?? null) && v.category === (row.cause_category ?? null) && num(row.causes_version) === CAUSES_VERSION) continue;
      await execute(tx, dialect, `UPDATE "handoffs" SET "verdict_outcome" = ?, "primary_cause" = ?, "cause_category" = ?, "causes_version" = ? WHERE "id" = ?`,
        [v.outcome, v.cause, v.category, CAUSES_VERSION, subject.id]);
      if (!outcomeChanged) continue;
      changed?.push({
        id: subject.id, agentId: subject.agentId, source: subject.source, ts: subject.ts, createdAt: String(row.created_at),
        task: (row.task as string | null) ?? null, evaluatorOutcome: (row.evaluator_outcome as Outcome | null) ?? null,
        oldOutcome: (row.verdict_outcome as Outcome | null) ?? null, outcome: v.outcome, causes: v.causes,
      });
      const evaluatorCaught = row.evaluator_outcome === "CAUGHT";
      const by = Number(evaluatorCaught || v.outcome === "CAUGHT") - Number(evaluatorCaught || row.verdict_outcome === "CAUGHT");
      if (by) caught.set(subject.agentId, (caught.get(subject.agentId) ?? 0) + by);
    }
  }
  return caught;
}

/** Handoffs stored before their causes were kept (or under an older analysis), a page at a time. */
export async function handoffsWithStaleCauses(tx: Tx, dialect: Dialect, limit: number): Promise<{ id: string; agent_id: string }[]> {
  return query(tx, dialect, `SELECT "id", "agent_id" FROM "handoffs" WHERE "causes_version" < ? ORDER BY "id" LIMIT ?`, [CAUSES_VERSION, limit]);
}
