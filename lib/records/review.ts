// Reviews (issue 17): a person or a script marks a CAUGHT handoff or a leaked intercept as a
// real fault (confirmed), a false alarm, or fixed, with a note. The history is append-only.
import { z } from "zod";

export const REVIEW_STATES = ["confirmed", "false_alarm", "fixed"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_SUBJECTS = ["handoff", "intercept"] as const;
export type ReviewSubject = (typeof REVIEW_SUBJECTS)[number];

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = { confirmed: "confirmed fault", false_alarm: "false alarm", fixed: "fixed" };

/** POST /api/v1/reviews: one state and note for one or several records (marking from the list). */
export const createReviewsSchema = z.strictObject({
  subject_type: z.enum(REVIEW_SUBJECTS).describe('"handoff" (a CAUGHT handoff) or "intercept" (a leaked LLM call)'),
  ids: z.array(z.string().min(1).max(1000)).min(1).max(500).describe("Verdict ids of the records to mark (≤ 500); all are marked or none"),
  state: z.enum(REVIEW_STATES).describe("confirmed: a real fault; false_alarm: not a fault; fixed: the fault was fixed"),
  note: z.string().max(4000).optional().describe("Why (≤ 4000 characters)"),
});
export type CreateReviewsInput = z.input<typeof createReviewsSchema>;

export const reviewSchema = z.object({
  id: z.string(),
  subject_type: z.enum(REVIEW_SUBJECTS),
  subject_id: z.string(),
  state: z.enum(REVIEW_STATES),
  note: z.string().nullable(),
  actor: z.string().nullable().describe('Who: the API key\'s name, or "signed-in session"; null on a shared page'),
  created_at: z.string(),
});
export type Review = z.infer<typeof reviewSchema>;
