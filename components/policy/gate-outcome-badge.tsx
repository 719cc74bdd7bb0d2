// The gate's outcome for a tool call (PASS/BLOCK, or the older gate's PENDING), its
// confirmation, the fail-closed mark, and what one callback returned.
import type { GateEvaluationWire, PolicyDecisionWire } from "@/lib/api-contract/policy";

const CONFIRMATION: Record<string, string> = {
  granted: "confirmation granted",
  declined: "confirmation declined",
  no_handler: "confirmation required, no handler",
  handler_raised: "confirmation handler raised",
};
const ACTION_STYLE: Record<string, string> = { BLOCK: "bg-red-100 text-red-800", PENDING: "bg-sky-100 text-sky-900", PASS: "bg-emerald-100 text-emerald-800" };

export function GateOutcomeBadge({ outcome }: { outcome: GateEvaluationWire["outcome"] }) {
  if (!outcome) return <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-semibold text-slate-600" title="The gate did not record its outcome">outcome not recorded</span>;
  return (
    <span className="inline-flex items-center gap-1">
      <span
        data-testid="gate-outcome"
        className={`rounded px-1.5 py-0.5 text-xs font-bold ${ACTION_STYLE[outcome.action] ?? ACTION_STYLE.PASS}`}
        title={outcome.action === "PENDING" ? "The gate asked for confirmation; what the guard did next was not recorded with it" : undefined}
      >
        {outcome.action}
      </span>
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

/** "fired" / "passed" as the callback said it, in its own terms (an older callback's true means it fired). */
export function CallbackResult({ result }: { result: PolicyDecisionWire["callback_result"] }) {
  if (result.returned === "raised") {
    return (
      <span className="text-xs font-semibold text-amber-800" data-testid="callback-raised" title="The callback raised; in these releases the exception escaped the guard, so the tool call did not run">
        raised{result.error ? `: ${result.error}` : ""}
      </span>
    );
  }
  const how = result.returned === "bool" ? `returned ${String(result.value)}` : `passed: ${String(result.passed)}`;
  return (
    <span className={`text-xs font-semibold ${result.fires ? "text-red-700" : "text-emerald-700"}`} data-testid="callback-result" title={how}>
      {result.fires ? "fired" : "passed"} <span className="font-normal text-slate-500">({how})</span>
    </span>
  );
}
