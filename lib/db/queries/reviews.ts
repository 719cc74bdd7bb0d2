// The review history: append-only rows in "reviews" (this module never updates or deletes
// one), and handoffs.review_state, the newest state, rewritten from that history in the same
// transaction so the list's filter always agrees with it.
import type { Db, ClientHandle, DbHandle } from "../client";
import { placeholders, query } from "../sql";
import type { ReviewState, ReviewSubject } from "../../records/review";


export interface NewReview {
  id: string;
  subjectType: ReviewSubject;
  subjectId: string;
  state: ReviewState;
  note: string | null;
  actor: string;
  at: Date;
}

/** Which of these ids are records that may be reviewed: CAUGHT handoffs (either outcome), or leaked intercepts. */
export async function reviewableIds({ db, dialect }: DbHandle, type: ReviewSubject, ids: string[]): Promise<{ found: Set<string>; reviewable: Set<string> }> {
  const marks = ids.map(() => "?").join(", ");
  const rows = type === "handoff"
    ? await query(db, dialect, `SELECT "id", ("evaluator_outcome" = 'CAUGHT' OR "verdict_outcome" = 'CAUGHT') AS "ok" FROM "handoffs" WHERE "id" IN (${marks})`, ids)
    : await query(db, dialect, `SELECT "id", "is_leak" AS "ok" FROM "intercepts" WHERE "id" IN (${marks})`, ids);
  const truthy = (v: unknown) => v === true || v === 1 || v === 1n || v === "1" || v === "t";
  return { found: new Set(rows.map((r) => String(r.id))), reviewable: new Set(rows.filter((r) => truthy(r.ok)).map((r) => String(r.id))) };
}

export async function insertReviews({ db, dialect }: ClientHandle, rows: NewReview[]): Promise<void> {
  const handoffIds = [...new Set(rows.filter((r) => r.subjectType === "handoff").map((r) => r.subjectId))];
  const newest = `(SELECT r."state" FROM "reviews" r WHERE r."subject_type" = 'handoff' AND r."subject_id" = "handoffs"."id" ORDER BY r."ts" DESC, r."id" DESC LIMIT 1)`;
  const marks = handoffIds.map(() => "?").join(", ");
  await db.$transaction([
    db.review.createMany({
      data: rows.map((r) => ({ id: r.id, subjectType: r.subjectType, subjectId: r.subjectId, state: r.state, note: r.note, actor: r.actor, createdAt: r.at.toISOString(), ts: BigInt(r.at.getTime()) })),
    }),
    ...(handoffIds.length ? [db.$executeRawUnsafe(placeholders(`UPDATE "handoffs" SET "review_state" = ${newest} WHERE "id" IN (${marks})`, dialect), ...handoffIds)] : []),
  ]);
}

export type ReviewRow = Awaited<ReturnType<Db["review"]["findMany"]>>[number];

/** A record's review rows, oldest first (lib/reviews/service.ts shapes them for the API). */
export async function reviewHistory({ db }: DbHandle, type: ReviewSubject, id: string): Promise<ReviewRow[]> {
  return db.review.findMany({ where: { subjectType: type, subjectId: id }, orderBy: [{ ts: "asc" }, { id: "asc" }], take: 1000 });
}
