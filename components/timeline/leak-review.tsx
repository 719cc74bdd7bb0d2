"use client";
// The review of a leaked call on its page: the history, and marking it confirmed, false alarm
// or fixed (the page reloads its history after).
import { useRouter } from "next/navigation";
import type { Review } from "@/lib/api-contract/reviews";
import { ReviewForm } from "@/components/handoff/review-form";
import { ReviewHistory } from "@/components/handoff/review-history";

export function LeakReview({ id, reviews }: { id: string; reviews: Review[] }) {
  const router = useRouter();
  return (
    <section aria-label="Review" className="space-y-2 rounded border border-slate-200 bg-white p-3" data-testid="leak-review">
      <h2 className="text-xs font-semibold uppercase text-slate-500">Review of this leak</h2>
      <ReviewHistory reviews={reviews} />
      <ReviewForm subjectType="intercept" ids={[id]} onDone={() => router.refresh()} />
    </section>
  );
}
