-- CreateTable
CREATE TABLE "legal_holds" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "target_type" TEXT NOT NULL,
    "agent_id" TEXT,
    "source" TEXT,
    "record_table" TEXT,
    "record_id" TEXT,
    "automatic" BOOLEAN NOT NULL DEFAULT false,
    "reason" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "released_at" BIGINT,
    "released_by" TEXT,
    "release_reason" TEXT
);

-- CreateTable
CREATE TABLE "deletions" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" BIGINT NOT NULL,
    "finished_at" BIGINT,
    "actor" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "intercepts" BIGINT NOT NULL DEFAULT 0,
    "policy_decisions" BIGINT NOT NULL DEFAULT 0,
    "handoffs" BIGINT NOT NULL DEFAULT 0,
    "held" BIGINT NOT NULL DEFAULT 0,
    "error" TEXT
);

-- CreateTable
CREATE TABLE "deletion_agents" (
    "deletion_id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "intercepts" BIGINT NOT NULL DEFAULT 0,
    "policy_decisions" BIGINT NOT NULL DEFAULT 0,
    "handoffs" BIGINT NOT NULL DEFAULT 0,
    "first_ts" BIGINT NOT NULL,
    "last_ts" BIGINT NOT NULL,

    PRIMARY KEY ("deletion_id", "agent_id")
);

-- CreateIndex
CREATE INDEX "legal_holds_released_at_idx" ON "legal_holds"("released_at");

-- CreateIndex
CREATE INDEX "legal_holds_record_table_record_id_idx" ON "legal_holds"("record_table", "record_id");

-- CreateIndex
CREATE INDEX "deletions_at_idx" ON "deletions"("at");

-- CreateIndex
CREATE INDEX "deletion_agents_agent_id_idx" ON "deletion_agents"("agent_id");
