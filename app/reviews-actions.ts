"use server";
// Server actions behind the review buttons of the handoff list and page. Next.js checks the
// Origin of action requests, and each action checks the dashboard session first (the API
// needs the write key instead). The history records "signed-in session" as who.
import { revalidatePath } from "next/cache";
import { hasDashboardAccess } from "@/lib/http/dashboard-session";
import { signInRequired } from "@/lib/http/auth";
import { ApiError } from "@/lib/http/errors";
import { markReviewed } from "@/lib/reviews/service";
import type { CreateReviewsInput, Review } from "@/lib/api-contract/reviews";

export type ReviewActionResult = { ok: true; reviews: Review[] } | { ok: false; message: string };

export async function markReviewedAction(input: CreateReviewsInput): Promise<ReviewActionResult> {
  if (!(await hasDashboardAccess())) return { ok: false, message: "Sign in to review." };
  try {
    // Without an admin password nobody signs in: the dashboard is open on 127.0.0.1 only.
    const reviews = await markReviewed(input, signInRequired() ? "signed-in session" : "dashboard (no sign-in configured)");
    revalidatePath("/handoffs", "layout");
    return { ok: true, reviews };
  } catch (e) {
    return { ok: false, message: e instanceof ApiError ? [e.message, ...e.details.map((d) => d.message)].join(" ") : "The review could not be saved." };
  }
}
