-- CreateTable
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

    CONSTRAINT "intercepts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "policy_decisions" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "source_id" TEXT,
    "dedupe_key" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "ts" BIGINT NOT NULL,
    "shape" TEXT NOT NULL,
    "tool_name" TEXT NOT NULL,
    "call_key" TEXT NOT NULL,
    "edge_source" TEXT,
    "edge_target" TEXT,
    "source_depth" INTEGER,
    "target_depth" INTEGER,
    "policy_name" TEXT,
    "passed" BOOLEAN,
    "message" TEXT,
    "fail_closed" BOOLEAN NOT NULL DEFAULT false,
    "action" TEXT,
    "reason" TEXT,
    "confirmation" TEXT,
    "context" TEXT NOT NULL,
    "callback_result" TEXT NOT NULL,
    "decision" TEXT,
    "extra" TEXT,
    "ingested_at" BIGINT NOT NULL,

    CONSTRAINT "policy_decisions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "handoffs" (
    "id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "source_id" TEXT,
    "dedupe_key" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "created_at" TEXT NOT NULL,
    "ts" BIGINT NOT NULL,
    "generation" TEXT NOT NULL,
    "run_id" TEXT,
    "task" TEXT,
    "claim_count" INTEGER NOT NULL,
    "payload" TEXT NOT NULL,
    "evaluation" TEXT,
    "evaluator_outcome" TEXT,
    "verdict_outcome" TEXT,
    "extra" TEXT,
    "ingested_at" BIGINT NOT NULL,

    CONSTRAINT "handoffs_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shares" (
    "id" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "resource_type" TEXT NOT NULL,
    "resource_id" TEXT NOT NULL,
    "redact_payloads" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMP(3) NOT NULL,
    "expires_at" TIMESTAMP(3) NOT NULL,
    "revoked_at" TIMESTAMP(3),
    "view_count" INTEGER NOT NULL DEFAULT 0,
    "last_viewed_at" TIMESTAMP(3),

    CONSTRAINT "shares_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "api_keys" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "last_used_at" TIMESTAMP(3),
    "revoked_at" TIMESTAMP(3),

    CONSTRAINT "api_keys_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "intercepts_dedupe_key_key" ON "intercepts"("dedupe_key");

-- CreateIndex
CREATE INDEX "intercepts_agent_id_ts_id_idx" ON "intercepts"("agent_id", "ts", "id");

-- CreateIndex
CREATE INDEX "intercepts_agent_id_is_leak_ts_id_idx" ON "intercepts"("agent_id", "is_leak", "ts", "id");

-- CreateIndex
CREATE INDEX "intercepts_agent_id_action_name_kind_ts_idx" ON "intercepts"("agent_id", "action_name", "kind", "ts");

-- CreateIndex
CREATE INDEX "intercepts_source_source_id_idx" ON "intercepts"("source", "source_id");

-- CreateIndex
CREATE INDEX "intercepts_call_ref_idx" ON "intercepts"("call_ref");

-- CreateIndex
CREATE UNIQUE INDEX "policy_decisions_dedupe_key_key" ON "policy_decisions"("dedupe_key");

-- CreateIndex
CREATE INDEX "policy_decisions_agent_id_ts_id_idx" ON "policy_decisions"("agent_id", "ts", "id");

-- CreateIndex
CREATE INDEX "policy_decisions_policy_name_ts_idx" ON "policy_decisions"("policy_name", "ts");

-- CreateIndex
CREATE INDEX "policy_decisions_tool_name_ts_idx" ON "policy_decisions"("tool_name", "ts");

-- CreateIndex
CREATE INDEX "policy_decisions_call_key_ts_idx" ON "policy_decisions"("call_key", "ts");

-- CreateIndex
CREATE INDEX "policy_decisions_source_source_id_idx" ON "policy_decisions"("source", "source_id");

-- CreateIndex
CREATE UNIQUE INDEX "handoffs_dedupe_key_key" ON "handoffs"("dedupe_key");

-- CreateIndex
CREATE INDEX "handoffs_agent_id_ts_id_idx" ON "handoffs"("agent_id", "ts", "id");

-- CreateIndex
CREATE INDEX "handoffs_evaluator_outcome_ts_idx" ON "handoffs"("evaluator_outcome", "ts");

-- CreateIndex
CREATE INDEX "handoffs_verdict_outcome_ts_idx" ON "handoffs"("verdict_outcome", "ts");

-- CreateIndex
CREATE INDEX "handoffs_source_source_id_idx" ON "handoffs"("source", "source_id");

-- CreateIndex
CREATE UNIQUE INDEX "shares_token_hash_key" ON "shares"("token_hash");

-- CreateIndex
CREATE UNIQUE INDEX "api_keys_key_hash_key" ON "api_keys"("key_hash");

