// The gate's outcome for a tool call (PASS/BLOCK), its confirmation, and the fail-closed mark.
import type { GateEvaluationWire } from "@/lib/api-contract/policy";

const CONFIRMATION: Record<string, string> = { granted: "confirmation granted", declined: "confirmation declined", no_handler: "confirmation required, no handler" };

export function GateOutcomeBadge({ outcome }: { outcome: GateEvaluationWire["outcome"] }) {
  if (!outcome) return <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold text-slate-600" title="The gate did not record its outcome">outcome not recorded</span>;
  const block = outcome.action === "BLOCK";
  return (
    <span className="inline-flex items-center gap-1">
      <span data-testid="gate-outcome" className={`rounded px-1.5 py-0.5 text-xs font-bold ${block ? "bg-red-100 text-red-800" : "bg-emerald-100 text-emerald-800"}`}>{outcome.action}</span>
      {outcome.confirmation ? <span className="rounded bg-sky-100 px-1.5 py-0.5 text-xs text-sky-900">{CONFIRMATION[outcome.confirmation]}</span> : null}
    </span>
  );
}

export function FailClosedBadge() {
  return (
    <span className="rounded bg-amber-100 px-1.5 py-0.5 text-xs font-semibold text-amber-900" data-testid="fail-closed" title="A callback raised or could not be evaluated, so the gate blocked to be safe">
      fail-closed
    </span>
  );
}

export function CallbackResult({ passed }: { passed: boolean }) {
  return <span className={`text-xs font-semibold ${passed ? "text-emerald-700" : "text-red-700"}`}>{passed ? "passed" : "failed"}</span>;
}
