"use client";
// The review form on a handoff's page: after marking, the page reloads its history.
import { useRouter } from "next/navigation";
import { ReviewForm } from "./review-form";

export function HandoffReviewControls({ id }: { id: string }) {
  const router = useRouter();
  return <ReviewForm ids={[id]} onDone={() => router.refresh()} />;
}
