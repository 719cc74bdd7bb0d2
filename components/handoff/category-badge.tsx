// Whose fault a verdict is, colored the same everywhere: the agent's (red), the recorder's
// (violet), the trusted-endpoint snapshot's (amber), or never evaluated (grey).
import { CAUSE_TITLES } from "@/lib/analysis/verdict-summary";
import type { CauseCode } from "@/lib/analysis/causes";

export const CATEGORY_LABELS: Record<string, string> = {
  agent: "agent",
  instrumentation: "instrumentation",
  configuration: "configuration",
  not_evaluated: "not evaluated",
  none: "no cause found",
};
export const CATEGORY_HINTS: Record<string, string> = {
  agent: "The agent's fault: the claim is wrong (value mismatch)",
  instrumentation: "The recorder or its setup: leaked tag, shared call_ref, untagged call, wrong row, agent_id mismatch, tool never ran",
  configuration: "The trusted-endpoint snapshot alone refused the claim",
  not_evaluated: "The evaluator never finished",
  none: "Verdict found no likely cause",
};
const STYLE: Record<string, string> = {
  agent: "border-red-300 bg-red-50 text-red-800",
  instrumentation: "border-violet-300 bg-violet-50 text-violet-800",
  configuration: "border-amber-300 bg-amber-50 text-amber-900",
  not_evaluated: "border-dashed border-slate-400 bg-slate-50 text-slate-700",
};

export function CategoryBadge({ category }: { category: string | null }) {
  if (!category) return <span className="text-xs text-slate-600">—</span>;
  return (
    <span className={`inline-block rounded border px-1.5 py-0.5 text-xs font-semibold ${STYLE[category] ?? "border-slate-300 text-slate-700"}`} title={CATEGORY_HINTS[category]} data-testid="category-badge">
      {CATEGORY_LABELS[category] ?? category}
    </span>
  );
}

export const causeTitle = (code: string | null) => (code ? (CAUSE_TITLES[code as CauseCode] ?? code) : null);
