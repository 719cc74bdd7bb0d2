// Keeping Verdict's outcome of stored handoffs current: re-judging (the analysis is pure,
// lib/analysis/handoff-analysis.ts) over the rows lib/db reads, storing what changed. Part of
// the ingest write path; deletion (lib/retention/deletion.ts), reclassify and the migration's
// causes refresh (lib/ingest/migrate.ts) run it too, always in the caller's transaction.
import type { DbHandle } from "../db/client";
import { handoffIdsToRefresh, handoffsToJudge, storeVerdict } from "../db/queries/handoffs";
import type { HandoffSubject } from "../analysis/claims";
import type { Json } from "../records/json";
import { analyzeHandoff } from "../analysis/handoff-analysis";
import type { Outcome } from "../analysis/claim-modes";
import { handoffCategory, type HandoffCategory } from "../analysis/cause-category";
import type { CauseCode } from "../analysis/causes";
import { causeEvidence, fetchEvidence } from "../handoffs/candidates";

/** At most this many existing handoffs are re-checked per agent when its intercepts arrive. */
export const REFRESH_LIMIT_PER_AGENT = 200;

/**
 * The version of the stored causes: a handoff whose causes_version is lower was stored before
 * the analysis changed (or before causes were kept at all) and is refreshed at migrate.
 */
export const CAUSES_VERSION = 1;

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
export async function judgeHandoff(h: DbHandle, subject: HandoffSubject, evaluation: Json | null, evaluatorOutcome: string | null): Promise<StoredVerdict> {
  const candidates = await fetchEvidence(h, subject, false);
  const first = analyzeHandoff(subject, evaluation, candidates);
  const causes = first.outcome === "PASS" ? first.causes : analyzeHandoff(subject, evaluation, await causeEvidence(h, subject, candidates)).causes;
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
export async function refreshVerdictOutcomes(h: DbHandle, handoffIds: string[], newIntercepts: { agentId: string; ts: number }[], changed?: OutcomeChange[]): Promise<Map<string, number>> {
  const ids = new Set(handoffIds);
  const earliest = new Map<string, number>();
  for (const r of newIntercepts) earliest.set(r.agentId, Math.min(earliest.get(r.agentId) ?? Infinity, r.ts));
  if (earliest.size) {
    // One statement for every agent of the batch (not one per agent): a batch from a fleet
    // touches dozens of agents, and most have no handoff to re-check at all.
    for (const id of await handoffIdsToRefresh(h, [...earliest], REFRESH_LIMIT_PER_AGENT)) ids.add(id);
  }
  return refreshHandoffs(h, [...ids], changed);
}

/**
 * Re-judges these handoffs and stores what changed; per agent, the change in CAUGHT handoffs.
 * Reads, analysis and writes interleave per handoff, in the caller's transaction.
 */
export async function refreshHandoffs(h: DbHandle, all: string[], changed?: OutcomeChange[]): Promise<Map<string, number>> {
  const caught = new Map<string, number>();
  for (let i = 0; i < all.length; i += 500) {
    for (const row of await handoffsToJudge(h, all.slice(i, i + 500))) {
      const { subject } = row;
      const v = await judgeHandoff(h, subject, row.evaluation, row.evaluatorOutcome);
      const outcomeChanged = v.outcome !== row.verdictOutcome;
      if (!outcomeChanged && v.cause === row.primaryCause && v.category === row.causeCategory && row.causesVersion === CAUSES_VERSION) continue;
      await storeVerdict(h, subject.id, v, CAUSES_VERSION);
      if (!outcomeChanged) continue;
      changed?.push({
        id: subject.id, agentId: subject.agentId, source: subject.source, ts: subject.ts, createdAt: row.createdAt,
        task: row.task, evaluatorOutcome: row.evaluatorOutcome, oldOutcome: row.verdictOutcome, outcome: v.outcome, causes: v.causes,
      });
      const evaluatorCaught = row.evaluatorOutcome === "CAUGHT";
      const by = Number(evaluatorCaught || v.outcome === "CAUGHT") - Number(evaluatorCaught || row.verdictOutcome === "CAUGHT");
      if (by) caught.set(subject.agentId, (caught.get(subject.agentId) ?? 0) + by);
    }
  }
  return caught;
}
