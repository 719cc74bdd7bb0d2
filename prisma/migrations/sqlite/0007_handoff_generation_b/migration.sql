-- Generation B's tag leak (sourcerykit 1.0.1): every HTTP call inside one scoped tool block
-- shares its call_ref, an LLM call in the tool body included, before or after the tool's own
-- fetch. Ingest now links such an LLM row to the first tool call carrying its call_ref
-- (lib/db/queries/leaks.ts); rows stored before this migration are linked here, and the
-- per-agent leak counts recounted from the rows. No schema change.
UPDATE "intercepts" SET
  "leak_tool_intercept_id" = (
    SELECT t."id" FROM "intercepts" t
    WHERE t."call_ref" = "intercepts"."call_ref" AND t."agent_id" = "intercepts"."agent_id" AND t."kind" = 'tool_call'
    ORDER BY t."ts", t."id" LIMIT 1),
  "is_leak" = 1
WHERE "kind" = 'llm_call' AND "call_ref" IS NOT NULL AND EXISTS (
  SELECT 1 FROM "intercepts" t
  WHERE t."call_ref" = "intercepts"."call_ref" AND t."agent_id" = "intercepts"."agent_id" AND t."kind" = 'tool_call');

UPDATE "agent_stats" SET "leaks" = (
  SELECT COUNT(*) FROM "intercepts" i WHERE i."agent_id" = "agent_stats"."agent_id" AND i."is_leak" AND i."kind" <> 'filler');
