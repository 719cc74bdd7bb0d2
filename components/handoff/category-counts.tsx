"use client";
// The category bar: "CAUGHT 7 — agent 1 · instrumentation 5 · configuration 1"; each category
// filters the list, the total clears that filter.
import { CATEGORY_HINTS, CATEGORY_LABELS } from "./category-badge";

const ORDER = ["agent", "instrumentation", "configuration", "not_evaluated", "none"];

export function CategoryCounts({ outcome, counts, active, onPick }: { outcome: string | undefined; counts: Record<string, number>; active: string | undefined; onPick: (category: string | undefined) => void }) {
  const total = Object.values(counts).reduce((a, n) => a + n, 0);
  const shown = ORDER.filter((c) => counts[c] || c === active);
  const chip = (on: boolean) => `rounded px-1 ${on ? "bg-slate-800 text-white" : "text-blue-700 underline hover:bg-slate-100"}`;
  return (
    <p className="text-sm" data-testid="category-counts" aria-label="Handoffs per category">
      <button type="button" className={`font-semibold ${chip(!active)}`} onClick={() => onPick(undefined)} aria-pressed={!active}>
        {outcome ? outcome.replace("_", " ") : "All handoffs"} {total}
      </button>
      {shown.length ? " — " : null}
      {shown.map((c, i) => (
        <span key={c}>
          {i ? " · " : null}
          <button type="button" className={chip(active === c)} title={CATEGORY_HINTS[c]} onClick={() => onPick(active === c ? undefined : c)} aria-pressed={active === c} data-testid={`category-${c}`}>
            {CATEGORY_LABELS[c] ?? c} {counts[c] ?? 0}
          </button>
        </span>
      ))}
    </p>
  );
}
