-- CreateTable
CREATE TABLE "agent_stats" (
    "agent_id" TEXT NOT NULL PRIMARY KEY,
    "intercepts" BIGINT NOT NULL DEFAULT 0,
    "llm_calls" BIGINT NOT NULL DEFAULT 0,
    "tool_calls" BIGINT NOT NULL DEFAULT 0,
    "untagged_calls" BIGINT NOT NULL DEFAULT 0,
    "leaks" BIGINT NOT NULL DEFAULT 0,
    "policy_decisions" BIGINT NOT NULL DEFAULT 0,
    "blocks" BIGINT NOT NULL DEFAULT 0,
    "handoffs" BIGINT NOT NULL DEFAULT 0,
    "caught" BIGINT NOT NULL DEFAULT 0,
    "first_ts" BIGINT,
    "last_ts" BIGINT
);


-- Backfill: the counts of the rows stored before this migration (ingest keeps them current from here on).
INSERT INTO "agent_stats" ("agent_id", "intercepts", "llm_calls", "tool_calls", "untagged_calls", "leaks", "policy_decisions", "blocks", "handoffs", "caught", "first_ts", "last_ts")
SELECT "agent_id", CAST(SUM("intercepts") AS BIGINT) AS "intercepts", CAST(SUM("llm_calls") AS BIGINT) AS "llm_calls", CAST(SUM("tool_calls") AS BIGINT) AS "tool_calls", CAST(SUM("untagged_calls") AS BIGINT) AS "untagged_calls", CAST(SUM("leaks") AS BIGINT) AS "leaks", CAST(SUM("policy_decisions") AS BIGINT) AS "policy_decisions", CAST(SUM("blocks") AS BIGINT) AS "blocks", CAST(SUM("handoffs") AS BIGINT) AS "handoffs", CAST(SUM("caught") AS BIGINT) AS "caught", MIN("first_ts") AS "first_ts", MAX("last_ts") AS "last_ts" FROM (
      SELECT i."agent_id", COUNT(*) AS "intercepts",
        SUM(CASE WHEN i."kind" = 'llm_call' THEN 1 ELSE 0 END) AS "llm_calls",
        SUM(CASE WHEN i."kind" = 'tool_call' THEN 1 ELSE 0 END) AS "tool_calls",
        SUM(CASE WHEN i."kind" = 'untagged_call' THEN 1 ELSE 0 END) AS "untagged_calls",
        SUM(CASE WHEN i."is_leak" THEN 1 ELSE 0 END) AS "leaks",
        0 AS "policy_decisions", 0 AS "blocks", 0 AS "handoffs", 0 AS "caught", MIN(i."ts") AS "first_ts", MAX(i."ts") AS "last_ts"
      FROM "intercepts" i WHERE i."kind" <> 'filler' GROUP BY i."agent_id"
      UNION ALL
      SELECT p."agent_id", 0, 0, 0, 0, 0, COUNT(*), SUM(CASE WHEN p."action" = 'BLOCK' THEN 1 ELSE 0 END), 0, 0, MIN(p."ts"), MAX(p."ts")
      FROM "policy_decisions" p GROUP BY p."agent_id"
      UNION ALL
      SELECT h."agent_id", 0, 0, 0, 0, 0, 0, 0, COUNT(*),
        SUM(CASE WHEN h."evaluator_outcome" = 'CAUGHT' OR h."verdict_outcome" = 'CAUGHT' THEN 1 ELSE 0 END), MIN(h."ts"), MAX(h."ts")
      FROM "handoffs" h GROUP BY h."agent_id"
    ) AS per_table GROUP BY "agent_id";
