-- CreateTable
CREATE TABLE "alert_rules" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "events" TEXT NOT NULL,
    "category" TEXT,
    "agent_id" TEXT,
    "source" TEXT,
    "destination_type" TEXT NOT NULL,
    "destination_url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "last_attempt_at" BIGINT,
    "last_status" TEXT,
    "last_response_code" INTEGER
);

-- CreateTable
CREATE TABLE "alert_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "kind" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "category" TEXT,
    "record_id" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "routed" BOOLEAN NOT NULL DEFAULT false
);

-- CreateTable
CREATE TABLE "alert_messages" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rule_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "counts" TEXT NOT NULL,
    "items" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "not_before" BIGINT NOT NULL,
    "status" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" BIGINT NOT NULL,
    "lease_until" BIGINT,
    "delivered_at" BIGINT
);

-- CreateTable
CREATE TABLE "alert_deliveries" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "rule_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "attempt" INTEGER NOT NULL,
    "status" TEXT NOT NULL,
    "response_code" INTEGER,
    "error" TEXT,
    "at" BIGINT NOT NULL
);

-- CreateIndex
CREATE INDEX "alert_events_routed_created_at_idx" ON "alert_events"("routed", "created_at");

-- CreateIndex
CREATE INDEX "alert_messages_status_next_attempt_at_idx" ON "alert_messages"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "alert_messages_rule_id_agent_id_created_at_idx" ON "alert_messages"("rule_id", "agent_id", "created_at");

-- CreateIndex
CREATE INDEX "alert_deliveries_rule_id_at_idx" ON "alert_deliveries"("rule_id", "at");

