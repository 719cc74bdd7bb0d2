// A review state: confirmed fault, false alarm, fixed (or nothing when never reviewed).
import { REVIEW_STATE_LABELS, type ReviewState } from "@/lib/records/review";

const STYLE: Record<ReviewState, string> = {
  confirmed: "border-red-300 bg-white text-red-800",
  false_alarm: "border-slate-300 bg-white text-slate-600",
  fixed: "border-emerald-300 bg-white text-emerald-800",
};

export function ReviewBadge({ state }: { state: ReviewState | null }) {
  if (!state) return <span className="text-xs text-slate-600">not reviewed</span>;
  return <span className={`inline-block rounded border px-1.5 py-0.5 text-xs ${STYLE[state]}`} data-testid="review-badge">{REVIEW_STATE_LABELS[state]}</span>;
}
