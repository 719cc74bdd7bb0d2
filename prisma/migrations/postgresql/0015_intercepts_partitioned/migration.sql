-- Intercepts partitioned by month of the record's time (ts, µs since the epoch), so a store of
-- millions keeps small, hot indexes for the month being written, timeline and leak queries
-- with a time range read only the months they cover, and retention can drop a month whole
-- (docs/performance.md, "PostgreSQL: intercepts by month").
--
-- A unique index of a partitioned table must contain the partition key, and the same record
-- (source, id) must stay ONE record whatever ts it is re-sent with: the dedupe keys move to
-- their own table, intercept_dedupe (not partitioned), which ingest inserts into first
-- (ON CONFLICT DO NOTHING) and stores only the rows whose key was new. Deleting an intercept
-- deletes its key (a statement trigger), as deleting the row deleted it before.
-- The primary key becomes (id, ts); ids stay unique (prefix, time, 72 random bits).
--
-- Rows with a ts outside the months Verdict makes partitions for (more than 60 months back,
-- more than 3 ahead) go to intercepts_default; a month's partition created later takes its rows
-- out of it (verdict_intercepts_partition).

ALTER TABLE "intercepts" RENAME TO "intercepts_unpartitioned";
ALTER TABLE "intercepts_unpartitioned" RENAME CONSTRAINT "intercepts_pkey" TO "intercepts_unpartitioned_pkey";
ALTER INDEX "intercepts_dedupe_key_key" RENAME TO "intercepts_unpartitioned_dedupe_key_key";
ALTER INDEX "intercepts_agent_id_ts_id_kind_is_leak_idx" RENAME TO "intercepts_unpartitioned_agent_id_ts_id_kind_is_leak_idx";
ALTER INDEX "intercepts_agent_id_is_leak_ts_id_idx" RENAME TO "intercepts_unpartitioned_agent_id_is_leak_ts_id_idx";
ALTER INDEX "intercepts_agent_id_action_name_kind_ts_id_idx" RENAME TO "intercepts_unpartitioned_agent_id_action_name_kind_ts_id_idx";
ALTER INDEX "intercepts_source_source_id_idx" RENAME TO "intercepts_unpartitioned_source_source_id_idx";
ALTER INDEX "intercepts_call_ref_idx" RENAME TO "intercepts_unpartitioned_call_ref_idx";

CREATE TABLE "intercepts" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "source_id" TEXT,
    "dedupe_key" TEXT NOT NULL,
    "generation" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "action_name" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "llm_provider" TEXT,
    "source_url" TEXT NOT NULL,
    "method" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "request_payload" TEXT NOT NULL,
    "raw_response" TEXT,
    "response_hash" TEXT,
    "created_at" TEXT NOT NULL,
    "ts" BIGINT NOT NULL,
    "call_ref" TEXT,
    "run_id" TEXT,
    "intercept_index" INTEGER,
    "leak_tool_intercept_id" TEXT,
    "is_leak" BOOLEAN NOT NULL DEFAULT false,
    "extra" TEXT,
    "ingested_at" BIGINT NOT NULL,
    "parent_tool_intercept_id" TEXT,
    "batch_id" TEXT,
    "batch_pos" INTEGER,
    "record_hash" TEXT
) PARTITION BY RANGE ("ts");

CREATE TABLE "intercepts_default" PARTITION OF "intercepts" DEFAULT;

-- One intercept per dedupe key, across all partitions; ts finds the row's partition.
CREATE TABLE "intercept_dedupe" (
    "dedupe_key" TEXT NOT NULL,
    "id" TEXT NOT NULL,
    "ts" BIGINT NOT NULL,

    CONSTRAINT "intercept_dedupe_pkey" PRIMARY KEY ("dedupe_key")
);

-- The month's partition (month_start: any time in the month, UTC), created if missing; the
-- rows of that month in intercepts_default move into it. Safe to call from several
-- processes at once (one at a time, under an advisory lock, each finding what the other made).
CREATE FUNCTION "verdict_intercepts_partition"(month_start TIMESTAMP) RETURNS TEXT LANGUAGE plpgsql AS $fn$
DECLARE
  m TIMESTAMP := date_trunc('month', month_start);
  lo BIGINT := (extract(epoch FROM m) * 1000000)::BIGINT;
  hi BIGINT := (extract(epoch FROM m + INTERVAL '1 month') * 1000000)::BIGINT;
  part TEXT := 'intercepts_' || to_char(m, 'YYYY_MM');
BEGIN
  PERFORM pg_advisory_xact_lock(7464322);
  IF to_regclass(format('%I', part)) IS NOT NULL THEN RETURN part; END IF;
  EXECUTE format('CREATE TABLE %I (LIKE "intercepts" INCLUDING DEFAULTS)', part);
  -- Moved straight between the partitions: the parent's delete trigger does not fire, the keys stay.
  EXECUTE format('WITH moved AS (DELETE FROM "intercepts_default" WHERE "ts" >= %s AND "ts" < %s RETURNING *) INSERT INTO %I SELECT * FROM moved', lo, hi, part);
  -- Lets ATTACH skip scanning the new table.
  EXECUTE format('ALTER TABLE %I ADD CONSTRAINT %I CHECK ("ts" >= %s AND "ts" < %s)', part, part || '_month', lo, hi);
  EXECUTE format('ALTER TABLE "intercepts" ATTACH PARTITION %I FOR VALUES FROM (%s) TO (%s)', part, lo, hi);
  RETURN part;
END
$fn$;

-- The months the stored rows fall in (within the window), and this month and the next two.
DO $do$
DECLARE
  this_month TIMESTAMP := date_trunc('month', now() AT TIME ZONE 'UTC');
  lo BIGINT := (extract(epoch FROM this_month - INTERVAL '60 months') * 1000000)::BIGINT;
  hi BIGINT := (extract(epoch FROM this_month + INTERVAL '4 months') * 1000000)::BIGINT;
  m TIMESTAMP;
BEGIN
  FOR m IN
    SELECT DISTINCT date_trunc('month', to_timestamp("ts" / 1000000.0) AT TIME ZONE 'UTC') FROM "intercepts_unpartitioned" WHERE "ts" >= lo AND "ts" < hi
    UNION SELECT this_month + n * INTERVAL '1 month' FROM generate_series(0, 2) AS n
  LOOP
    PERFORM "verdict_intercepts_partition"(m);
  END LOOP;
END
$do$;

INSERT INTO "intercepts" ("id", "source", "source_id", "dedupe_key", "generation", "agent_id", "action_name", "kind", "llm_provider",
  "source_url", "method", "host", "path", "request_payload", "raw_response", "response_hash", "created_at", "ts", "call_ref", "run_id",
  "intercept_index", "leak_tool_intercept_id", "is_leak", "extra", "ingested_at", "parent_tool_intercept_id", "batch_id", "batch_pos", "record_hash")
SELECT "id", "source", "source_id", "dedupe_key", "generation", "agent_id", "action_name", "kind", "llm_provider",
  "source_url", "method", "host", "path", "request_payload", "raw_response", "response_hash", "created_at", "ts", "call_ref", "run_id",
  "intercept_index", "leak_tool_intercept_id", "is_leak", "extra", "ingested_at", "parent_tool_intercept_id", "batch_id", "batch_pos", "record_hash"
FROM "intercepts_unpartitioned";

INSERT INTO "intercept_dedupe" ("dedupe_key", "id", "ts") SELECT "dedupe_key", "id", "ts" FROM "intercepts_unpartitioned";

DROP TABLE "intercepts_unpartitioned";

-- Indexes built once the rows are in (faster than keeping them up row by row); each partition
-- made later gets them when attached.
ALTER TABLE "intercepts" ADD CONSTRAINT "intercepts_pkey" PRIMARY KEY ("id", "ts");
CREATE INDEX "intercepts_agent_id_ts_id_kind_is_leak_idx" ON "intercepts"("agent_id", "ts", "id", "kind", "is_leak");
CREATE INDEX "intercepts_agent_id_is_leak_ts_id_idx" ON "intercepts"("agent_id", "is_leak", "ts", "id");
CREATE INDEX "intercepts_agent_id_action_name_kind_ts_id_idx" ON "intercepts"("agent_id", "action_name", "kind", "ts", "id");
CREATE INDEX "intercepts_source_source_id_idx" ON "intercepts"("source", "source_id");
CREATE INDEX "intercepts_call_ref_idx" ON "intercepts"("call_ref");

-- Deleting intercepts (retention, `verdict delete`) deletes their dedupe keys: a record deleted
-- and sent again is stored again, as before. One statement per DELETE, over its rows.
CREATE FUNCTION "verdict_intercepts_forget_keys"() RETURNS TRIGGER LANGUAGE plpgsql AS $fn$
BEGIN
  DELETE FROM "intercept_dedupe" k USING gone g WHERE k."dedupe_key" = g."dedupe_key" AND k."id" = g."id";
  RETURN NULL;
END
$fn$;
CREATE TRIGGER "intercepts_forget_keys" AFTER DELETE ON "intercepts" REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION "verdict_intercepts_forget_keys"();

ANALYZE "intercepts";
ANALYZE "intercept_dedupe";
