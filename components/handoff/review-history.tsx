// A record's review history, oldest first, read-only (who is left out on a shared page).
import type { Review } from "@/lib/api-contract/reviews";
import { ReviewBadge } from "./review-badge";
import { ReadableTime } from "@/components/ui/readable-time";

export function ReviewHistory({ reviews }: { reviews: Review[] }) {
  if (!reviews.length) return <p className="text-sm text-slate-500">Not reviewed yet.</p>;
  return (
    <ol className="space-y-1 text-sm" aria-label="Review history" data-testid="review-history">
      {reviews.map((r) => (
        <li key={r.id} className="flex flex-wrap items-baseline gap-2">
          <ReviewBadge state={r.state} />
          <span className="text-xs text-slate-500">
            <ReadableTime iso={r.created_at} />
            {r.actor ? <> · {r.actor}</> : null}
          </span>
          {r.note ? <span className="whitespace-pre-wrap text-slate-800">{r.note}</span> : null}
        </li>
      ))}
    </ol>
  );
}
