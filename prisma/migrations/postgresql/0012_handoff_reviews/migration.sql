-- Review workflow (issue 17): a CAUGHT handoff or a leak is marked confirmed, false_alarm or
-- fixed, with a note; reviews is append-only history, handoffs.review_state the newest state.
-- AlterTable
ALTER TABLE "handoffs" ADD COLUMN     "review_state" TEXT;

-- CreateTable
CREATE TABLE "reviews" (
    "id" TEXT NOT NULL,
    "subject_type" TEXT NOT NULL,
    "subject_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "note" TEXT,
    "actor" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "ts" BIGINT NOT NULL,

    CONSTRAINT "reviews_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reviews_subject_type_subject_id_ts_idx" ON "reviews"("subject_type", "subject_id", "ts");

-- CreateIndex
CREATE INDEX "handoffs_review_state_ts_idx" ON "handoffs"("review_state", "ts");

