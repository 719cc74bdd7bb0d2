// PASS / CAUGHT / ERROR, colored the same everywhere.
const STYLE: Record<string, string> = {
  PASS: "border-emerald-300 bg-emerald-50 text-emerald-800",
  CAUGHT: "border-red-300 bg-red-50 text-red-800",
  ERROR: "border-amber-300 bg-amber-50 text-amber-800",
};

export function OutcomeBadge({ outcome, label }: { outcome: string | null; label?: string }) {
  if (!outcome) return <span className="text-xs text-slate-400">—</span>;
  return (
    <span className={`inline-flex items-center gap-1 rounded border px-1.5 py-0.5 text-xs font-semibold ${STYLE[outcome] ?? "border-slate-300 text-slate-700"}`} data-testid="outcome-badge">
      {label ? <span className="font-normal">{label}</span> : null}
      {outcome}
    </span>
  );
}
