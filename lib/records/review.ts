// Reviews (issue 17): a person or a script marks a CAUGHT handoff or a leaked intercept as a
// real fault (confirmed), a false alarm, or fixed, with a note. The history is append-only.
// The request and response schemas are in lib/api-contract/reviews.ts.

export const REVIEW_STATES = ["confirmed", "false_alarm", "fixed"] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];
export const REVIEW_SUBJECTS = ["handoff", "intercept"] as const;
export type ReviewSubject = (typeof REVIEW_SUBJECTS)[number];

export const REVIEW_STATE_LABELS: Record<ReviewState, string> = { confirmed: "confirmed fault", false_alarm: "false alarm", fixed: "fixed" };
