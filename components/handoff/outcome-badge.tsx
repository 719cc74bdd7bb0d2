// PASS / CAUGHT / ERROR / NOT EVALUATED, colored the same everywhere.
const STYLE: Record<string, string> = {
  PASS: "border-emerald-300 bg-emerald-50 text-emerald-800",
  CAUGHT: "border-red-300 bg-red-50 text-red-800",
  ERROR: "border-amber-300 bg-amber-50 text-amber-800",
  NOT_EVALUATED: "border-dashed border-slate-400 bg-slate-50 text-slate-700",
};
const TEXT: Record<string, string> = { NOT_EVALUATED: "NOT EVALUATED" };
const TITLE: Record<string, string> = { NOT_EVALUATED: "The evaluator never finished: no outcome was recorded (it raised, or never ran). Not a PASS." };

export function OutcomeBadge({ outcome, label }: { outcome: string | null; label?: string }) {
  if (!outcome) return <span className="text-xs text-slate-600">—</span>;
  return (
    <span className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-semibold ${STYLE[outcome] ?? "border-slate-300 text-slate-700"}`} data-testid="outcome-badge" title={TITLE[outcome]}>
      {label ? <span className="font-normal">{label}</span> : null}
      {TEXT[outcome] ?? outcome}
    </span>
  );
}
