-- AlterTable
ALTER TABLE "policy_decisions" ADD COLUMN     "batch_index" INTEGER,
ADD COLUMN     "callback_error" TEXT,
ADD COLUMN     "blocks_call" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "settings" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updated_at" TEXT NOT NULL,

    CONSTRAINT "settings_pkey" PRIMARY KEY ("key")
);


-- The LLM host list always has its row: an ingest batch holds it (FOR SHARE on PostgreSQL)
-- while it stores rows classified with it, so `verdict reclassify` changing it waits for them.
INSERT INTO "settings" ("key", "value", "updated_at") VALUES ('llm_hosts', '', '1970-01-01T00:00:00.000Z');

-- Tool calls blocked, not callback invocations: mark the first BLOCK invocation of each
-- evaluation (same call within two seconds of the previous one). `npx verdict reclassify`
-- recounts with the full grouping rules (repeated edges, the older shape's walk).
UPDATE "policy_decisions" SET "blocks_call" = true WHERE "id" IN (
  SELECT "id" FROM (
    SELECT p."id", p."action", p."ts", LAG(p."ts") OVER (PARTITION BY p."call_key" ORDER BY p."ts", p."id") AS "prev_ts"
    FROM "policy_decisions" p
  ) AS o WHERE o."action" = 'BLOCK' AND (o."prev_ts" IS NULL OR o."ts" - o."prev_ts" > 2000000)
);
UPDATE "agent_stats" SET "blocks" = COALESCE((
  SELECT COUNT(*) FROM "policy_decisions" p WHERE p."agent_id" = "agent_stats"."agent_id" AND p."blocks_call" = true), 0);
