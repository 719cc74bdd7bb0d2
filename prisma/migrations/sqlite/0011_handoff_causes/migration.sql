-- Each handoff keeps its primary cause and category (issue 17), refreshed with
-- verdict_outcome. ADD COLUMN, not a table rebuild: a rebuild would copy every handoff.
-- Rows stored before this migration have causes_version 0: lib/db/migrate.ts computes their
-- causes once, right after the migrations (the analysis is TypeScript, not SQL).
ALTER TABLE "handoffs" ADD COLUMN "primary_cause" TEXT;
ALTER TABLE "handoffs" ADD COLUMN "cause_category" TEXT;
ALTER TABLE "handoffs" ADD COLUMN "causes_version" INTEGER NOT NULL DEFAULT 0;

CREATE INDEX "handoffs_cause_category_ts_idx" ON "handoffs"("cause_category", "ts");
CREATE INDEX "handoffs_causes_version_idx" ON "handoffs"("causes_version");
