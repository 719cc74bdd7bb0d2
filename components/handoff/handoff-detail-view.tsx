// The whole handoff, rendered from data alone (no fetching, no dashboard navigation), so the
// dashboard and a shared link (/s/<token>, links=null) show the same thing.
import type { HandoffDetail } from "@/lib/api-contract/handoffs";
import { isPlainObject } from "@/lib/records/json";
import { OutcomeBadge } from "./outcome-badge";
import { TrustGateResult } from "./trust-gate-result";
import { ClaimCard } from "./claim-card";
import type { HandoffLinks } from "./links";
import { summarizeVerdict, CAUSE_TITLES } from "@/lib/analysis/verdict-summary";
import { CategoryBadge } from "./category-badge";
import { ReviewBadge } from "./review-badge";
import { ReviewHistory } from "./review-history";
import { ReadableTime } from "@/components/ui/readable-time";

/** The evaluator's per-claim entry for the i-th claim, when it reported one. */
function evaluatorEntry(evaluation: HandoffDetail["evaluation"], i: number): Record<string, unknown> | null {
  if (!isPlainObject(evaluation) || !Array.isArray(evaluation.per_claim)) return null;
  const c = evaluation.per_claim[i];
  return isPlainObject(c) ? c : null;
}
const evaluatorResult = (e: Record<string, unknown> | null) => (e && typeof e.result === "string" ? e.result : null);
/** The evaluator's own detail (1.0.1's `details` column on import), verbatim. */
const evaluatorDetail = (e: Record<string, unknown> | null) => (e && typeof e.detail === "string" && e.detail ? e.detail : null);

function notEvaluatedWhy(evaluation: HandoffDetail["evaluation"]): string | null {
  if (!isPlainObject(evaluation)) return null;
  const why = evaluation.error ?? evaluation.not_evaluated_reason;
  return typeof why === "string" && why ? why : null;
}

/**
 * `nav`: previous / next within the list's filter (dashboard only); `reviewControls`: the form
 * that marks this handoff (dashboard only; a shared page shows the history read-only).
 */
export function HandoffDetailView({ handoff, links, actions, nav, reviewControls }: { handoff: HandoffDetail; links: HandoffLinks | null; actions?: React.ReactNode; nav?: React.ReactNode; reviewControls?: React.ReactNode }) {
  const a = handoff.analysis;
  const evaluatorErrors = isPlainObject(handoff.evaluation) && Array.isArray(handoff.evaluation.errors) ? handoff.evaluation.errors : [];
  const summary = summarizeVerdict({ shownOutcome: handoff.outcome, evaluatorOutcome: handoff.evaluator_outcome, verdictOutcome: a.outcome, causes: a.causes, claims: a.claims });
  // The gate's failure follows from the primary cause unless the cause is the gate itself.
  const consequenceOf = summary.cause && summary.cause !== "untrusted_endpoint" ? CAUSE_TITLES[summary.cause].toLowerCase() : null;
  return (
    <div className="space-y-4">
      {nav}
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Handoff {handoff.source_id ?? handoff.id}</h1>
          <p className="text-sm text-slate-600">
            agent <code>{handoff.agent_id}</code> · <ReadableTime iso={handoff.created_at} />
            {handoff.run_id ? <> · run <code>{handoff.run_id}</code></> : null} · source <code>{handoff.source}</code>
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <OutcomeBadge outcome={handoff.evaluator_outcome} label="evaluator" />
            <OutcomeBadge outcome={a.outcome} label="Verdict" />
            <span className="text-xs text-slate-500" data-testid="outcome-rules">
              {a.rules === "B" ? "rules of generation B (sourcerykit 1.0.1)" : "rules of generation A (contract 2.0)"}
            </span>
            {handoff.evaluator_outcome && handoff.evaluator_outcome !== "NOT_EVALUATED" && handoff.evaluator_outcome !== a.outcome ? (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900" data-testid="disagreement">Verdict disagrees with the evaluator</span>
            ) : null}
          </div>
        </div>
        {actions ? <div>{actions}</div> : null}
      </header>
      <section aria-label="Verdict summary" className="rounded-lg border border-slate-300 bg-white p-3" data-testid="verdict-summary">
        <div className="mb-1 flex flex-wrap items-center gap-2">
          <CategoryBadge category={summary.category} />
          {summary.cause ? <span className="text-xs text-slate-500">primary cause <code>{summary.cause}</code></span> : null}
          <ReviewBadge state={handoff.review_state} />
        </div>
        <p className="text-base" data-testid="summary-sentence">{summary.sentence}</p>
      </section>
      <section className="grid gap-4 md:grid-cols-2" aria-label="Task and reasoning">
        <div className="rounded border border-slate-200 bg-white p-3">
          <h2 className="text-xs font-semibold uppercase text-slate-500">Task</h2>
          <p className="whitespace-pre-wrap text-sm">{handoff.task ?? "—"}</p>
        </div>
        <div className="rounded border border-slate-200 bg-white p-3">
          <h2 className="text-xs font-semibold uppercase text-slate-500">Reasoning</h2>
          <p className="whitespace-pre-wrap text-sm">{handoff.reasoning ?? "—"}</p>
        </div>
      </section>
      {handoff.evaluator_outcome === "NOT_EVALUATED" ? (
        <section aria-label="Not evaluated" className="rounded border border-dashed border-slate-400 bg-slate-50 p-3 text-sm" data-testid="not-evaluated">
          <h2 className="font-semibold">Not evaluated</h2>
          <p>
            An evaluation was recorded without an outcome: the evaluator raised or never finished, so it judged nothing. This is not a PASS.
            {notEvaluatedWhy(handoff.evaluation) ? <> Recorded reason: <span className="font-mono text-xs">{notEvaluatedWhy(handoff.evaluation)}</span></> : null}
          </p>
        </section>
      ) : null}
      <TrustGateResult gate={a.trust_gate} consequenceOf={consequenceOf} />
      {a.verdict_trust_check ? <TrustGateResult gate={a.verdict_trust_check} own consequenceOf={consequenceOf} /> : null}
      {evaluatorErrors.length ? (
        <section aria-label="Evaluator errors" className="rounded border border-slate-200 bg-white p-3 text-sm">
          <h2 className="text-xs font-semibold uppercase text-slate-500">
            Evaluator errors{consequenceOf && !a.trust_gate.passed ? <span data-testid="consequence-label"> — consequence of the {consequenceOf}</span> : null}
          </h2>
          <ul className="font-mono text-xs">{evaluatorErrors.map((e, i) => <li key={i}>{typeof e === "string" ? e : JSON.stringify(e)}</li>)}</ul>
        </section>
      ) : null}
      {handoff.reviews.length || reviewControls ? (
        <section aria-label="Review" className="space-y-2 rounded border border-slate-200 bg-white p-3">
          <h2 className="text-xs font-semibold uppercase text-slate-500">Review</h2>
          <ReviewHistory reviews={handoff.reviews} />
          {reviewControls}
        </section>
      ) : null}
      <h2 className="text-lg font-semibold">Claims ({a.claims.length})</h2>
      {a.claims.length === 0 ? <p className="text-sm text-slate-600">This handoff has no claims.</p> : null}
      {a.claims.map((c) => (
        <ClaimCard
          key={c.index}
          claim={c}
          evaluatorResult={evaluatorResult(evaluatorEntry(handoff.evaluation, c.index))}
          evaluatorDetail={evaluatorDetail(evaluatorEntry(handoff.evaluation, c.index))}
          intercepts={handoff.intercepts}
          links={links}
        />
      ))}
    </div>
  );
}
