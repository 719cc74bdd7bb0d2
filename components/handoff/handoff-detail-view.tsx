// The whole handoff, rendered from data alone (no fetching, no dashboard navigation), so the
// dashboard and a shared link (/s/<token>, links=null) show the same thing.
import type { HandoffDetail } from "@/lib/db/queries/handoffs";
import { isPlainObject } from "@/lib/records/json";
import { OutcomeBadge } from "./outcome-badge";
import { TrustGateResult } from "./trust-gate-result";
import { ClaimCard } from "./claim-card";
import type { HandoffLinks } from "./links";

/** The evaluator's result for the i-th claim, when it reported one. */
function evaluatorResult(evaluation: HandoffDetail["evaluation"], i: number): string | null {
  if (!isPlainObject(evaluation) || !Array.isArray(evaluation.per_claim)) return null;
  const c = evaluation.per_claim[i];
  return isPlainObject(c) && typeof c.result === "string" ? c.result : null;
}

export function HandoffDetailView({ handoff, links, actions }: { handoff: HandoffDetail; links: HandoffLinks | null; actions?: React.ReactNode }) {
  const a = handoff.analysis;
  const evaluatorErrors = isPlainObject(handoff.evaluation) && Array.isArray(handoff.evaluation.errors) ? handoff.evaluation.errors : [];
  return (
    <div className="space-y-4">
      <header className="flex flex-wrap items-start justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold">Handoff {handoff.source_id ?? handoff.id}</h1>
          <p className="text-sm text-slate-600">
            agent <code>{handoff.agent_id}</code> · {handoff.created_at}
            {handoff.run_id ? <> · run <code>{handoff.run_id}</code></> : null} · source <code>{handoff.source}</code>
          </p>
          <div className="mt-2 flex flex-wrap items-center gap-2">
            <OutcomeBadge outcome={handoff.evaluator_outcome} label="evaluator" />
            <OutcomeBadge outcome={a.outcome} label="Verdict" />
            {handoff.evaluator_outcome && handoff.evaluator_outcome !== a.outcome ? (
              <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900" data-testid="disagreement">Verdict disagrees with the evaluator</span>
            ) : null}
          </div>
        </div>
        {actions ? <div>{actions}</div> : null}
      </header>
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
      <TrustGateResult gate={a.trust_gate} />
      {evaluatorErrors.length ? (
        <section aria-label="Evaluator errors" className="rounded border border-slate-200 bg-white p-3 text-sm">
          <h2 className="text-xs font-semibold uppercase text-slate-500">Evaluator errors</h2>
          <ul className="font-mono text-xs">{evaluatorErrors.map((e, i) => <li key={i}>{typeof e === "string" ? e : JSON.stringify(e)}</li>)}</ul>
        </section>
      ) : null}
      <h2 className="text-lg font-semibold">Claims ({a.claims.length})</h2>
      {a.claims.length === 0 ? <p className="text-sm text-slate-600">This handoff has no claims.</p> : null}
      {a.claims.map((c) => (
        <ClaimCard key={c.index} claim={c} evaluatorResult={evaluatorResult(handoff.evaluation, c.index)} intercepts={handoff.intercepts} links={links} />
      ))}
    </div>
  );
}
