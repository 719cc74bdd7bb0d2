// Handoffs for the API, the dashboard, shares and exports: lib/db reads the rows, this shapes
// them into the documents lib/api-contract/handoffs.ts describes (the list, and one handoff
// with Verdict's analysis recomputed from the recorded intercepts).
import { getDb, type ClientHandle } from "../db/client";
import { findHandoff, handoffAgents as storedHandoffAgents, handoffNeighbours as storedNeighbours, listHandoffs as storedHandoffs, type HandoffFilter, type HandoffRow } from "../db/queries/handoffs";
import type { HandoffEvidenceIds } from "../evidence-chain/export";
import { fetchEvidence } from "./candidates";
import type { RecordedCall } from "../analysis/claims";
import { analyzeHandoff } from "../analysis/handoff-analysis";
import { handoffCategory } from "../analysis/cause-category";
import type { Quote } from "../analysis/claim-modes";
import { NOT_EVALUATED } from "../records/handoff";
import type { HandoffDetail, HandoffList, HandoffSummary, InterceptRef } from "../api-contract/handoffs";
import { reviewsOf } from "../reviews/service";

export type { HandoffFilter };

export function handoffSummary(r: HandoffRow): HandoffSummary {
  const evaluator = r.evaluator_outcome;
  const verdict = r.verdict_outcome;
  return {
    id: r.id,
    source: r.source,
    source_id: r.source_id,
    agent_id: r.agent_id,
    created_at: r.created_at,
    generation: r.generation,
    run_id: r.run_id,
    task: r.task,
    claim_count: r.claim_count,
    outcome: evaluator ?? verdict,
    evaluator_outcome: evaluator,
    verdict_outcome: verdict,
    // A NOT_EVALUATED handoff has no evaluator outcome to disagree with.
    disagrees: evaluator !== null && evaluator !== NOT_EVALUATED && verdict !== null && evaluator !== verdict,
    primary_cause: r.primary_cause,
    cause_category: r.cause_category,
    review_state: r.review_state,
  };
}

export function interceptRef(c: RecordedCall): InterceptRef {
  return {
    id: c.id, source: c.source, source_id: c.sourceId, agent_id: c.agentId, action_name: c.actionName, kind: c.kind,
    llm_provider: c.llmProvider, source_url: c.sourceUrl, method: c.method, created_at: c.createdAt, call_ref: c.callRef,
    is_leak: c.isLeak, leak_tool_intercept_id: c.leakToolId, raw_response: c.response,
  };
}

/** Newest first; `outcome` matches the evaluator's outcome, or Verdict's when none was sent. */
export async function listHandoffs(f: HandoffFilter, conn: ClientHandle = getDb()): Promise<HandoffList> {
  const page = await storedHandoffs(conn, f);
  return { handoffs: page.handoffs.map(handoffSummary), next_cursor: page.next_cursor, counts: page.counts };
}

/** One handoff with Verdict's analysis, or null. */
export async function getHandoffDetail(id: string, options: { quote?: Quote } = {}, conn: ClientHandle = getDb()): Promise<HandoffDetail | null> {
  const found = await findHandoff(conn, id);
  if (!found) return null;
  const { row, subject, evaluation } = found;
  const calls = await fetchEvidence(conn, subject, true);
  const analysis = analyzeHandoff(subject, evaluation, calls, options);
  // The page recomputes; its cause and category come from that same analysis.
  const kept = handoffCategory(row.evaluator_outcome, analysis.causes);
  const s = handoffSummary({ ...row, verdict_outcome: analysis.outcome, primary_cause: kept.cause, cause_category: kept.category });
  const payload = subject.payload;
  const p = payload && typeof payload === "object" && !Array.isArray(payload) ? payload : {};
  const reasoning = typeof p.reasoning === "string" && p.reasoning ? p.reasoning : typeof p.answer === "string" && p.answer ? p.answer : typeof p.reasoning === "string" ? p.reasoning : null;
  const reviews = await reviewsOf("handoff", s.id, conn);
  return { ...s, reasoning, payload, evaluation, analysis, intercepts: Object.fromEntries(calls.map((c) => [c.id, interceptRef(c)])), reviews };
}

/** The handoffs before (newer) and after (older) this one in the list with this filter, for previous / next. */
export function handoffNeighbours(id: string, f: Omit<HandoffFilter, "cursor" | "limit">, conn: ClientHandle = getDb()): Promise<{ newer: string | null; older: string | null }> {
  return storedNeighbours(conn, id, f);
}

/** The agents that have handoffs, for the filter. */
export function handoffAgents(conn: ClientHandle = getDb()): Promise<string[]> {
  return storedHandoffAgents(conn);
}

/** What a handoff's verdict rests on, for export bundles: the intercepts its analysis read. */
export const handoffEvidenceIds = (conn: ClientHandle): HandoffEvidenceIds => async (handoffId) => {
  const detail = await getHandoffDetail(handoffId, {}, conn);
  return detail ? Object.keys(detail.intercepts) : null;
};
