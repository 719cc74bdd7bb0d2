// POST/GET /api/v1/reviews: the body and query they take and what they answer, as Zod schemas.
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { REVIEW_STATES, REVIEW_SUBJECTS } from "../records/review";

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

export const reviewHistoryQuerySchema = z.object({
  subject_type: z.enum(REVIEW_SUBJECTS).describe('"handoff" or "intercept"'),
  subject_id: z.string().min(1).max(1000).describe("The record's Verdict id"),
});

export const reviewListSchema = z.object({ reviews: z.array(reviewSchema).describe("Oldest first; append-only") });

export const REVIEW_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/reviews",
    summary: "Mark CAUGHT handoffs or leaked intercepts confirmed, false_alarm or fixed, with a note (appended to their history)",
    auth: "write",
    body: createReviewsSchema,
    responses: {
      "201": { description: "The reviews recorded, one per id", schema: reviewListSchema },
      "400": { description: "A field is not valid, or a record is not a CAUGHT handoff / leaked intercept (nothing is marked)", schema: errorEnvelopeSchema },
      "401": { description: "API key required", schema: errorEnvelopeSchema },
      "404": { description: "An id names no record (nothing is marked)", schema: errorEnvelopeSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/reviews",
    summary: "One record's review history, oldest first",
    auth: "read",
    query: reviewHistoryQuerySchema,
    responses: {
      "200": { description: "The history", schema: reviewListSchema },
      "400": { description: "A query parameter is not valid", schema: errorEnvelopeSchema },
      "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema },
    },
  },
];
