// Marking records reviewed: the API (write key) and the dashboard's server actions (session)
// both come here; who marked is the key's name or "signed-in session".
import { getDb, type ClientHandle } from "../db/client";
import { insertReviews, reviewableIds, reviewHistory, type ReviewRow } from "../db/queries/reviews";
import { newId } from "../records/ids";
import { now } from "../clock";
import { ApiError, zodDetails } from "../http/errors";
import type { ReviewState, ReviewSubject } from "../records/review";
import { createReviewsSchema, type Review } from "../api-contract/reviews";


const reviewOf = (r: ReviewRow): Review => ({
  id: r.id, subject_type: r.subjectType as ReviewSubject, subject_id: r.subjectId, state: r.state as ReviewState, note: r.note, actor: r.actor, created_at: r.createdAt,
});

/** Records one review per id (all or none): only CAUGHT handoffs and leaked intercepts can be reviewed. */
export async function markReviewed(input: unknown, actor: string): Promise<Review[]> {
  const parsed = createReviewsSchema.safeParse(input);
  if (!parsed.success) throw new ApiError(400, "invalid_request", "Some fields are not valid.", zodDetails(parsed.error));
  const { subject_type, state } = parsed.data;
  const ids = [...new Set(parsed.data.ids)];
  const note = parsed.data.note?.trim() || null;
  const conn = getDb();
  const { found, reviewable } = await reviewableIds(conn, subject_type, ids);
  const what = subject_type === "handoff" ? "handoff" : "intercept";
  const missing = ids.filter((id) => !found.has(id));
  if (missing.length) throw new ApiError(404, "not_found", `No ${what} with ${missing.length === 1 ? "that id" : "these ids"}.`, missing.map((id) => ({ path: `ids.${parsed.data.ids.indexOf(id)}`, message: `no ${what} "${id}"` })));
  const refused = ids.filter((id) => !reviewable.has(id));
  if (refused.length) {
    const why = subject_type === "handoff" ? "is not CAUGHT (neither the evaluator nor Verdict says CAUGHT)" : "is not a leaked call";
    throw new ApiError(400, "invalid_request", "Only a CAUGHT handoff or a leaked intercept can be reviewed; nothing was marked.", refused.map((id) => ({ path: `ids.${parsed.data.ids.indexOf(id)}`, message: `${what} "${id}" ${why}` })));
  }
  const at = now();
  const rows = ids.map((id) => ({ id: newId("rev"), subjectType: subject_type, subjectId: id, state, note, actor, at }));
  await insertReviews(conn, rows);
  return rows.map((r) => ({ id: r.id, subject_type: r.subjectType, subject_id: r.subjectId, state: r.state, note: r.note, actor: r.actor, created_at: r.at.toISOString() }));
}

/** A record's review history, oldest first. */
export async function reviewsOf(type: ReviewSubject, id: string, conn: ClientHandle = getDb()): Promise<Review[]> {
  return (await reviewHistory(conn, type, id)).map(reviewOf);
}
