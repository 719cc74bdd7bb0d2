-- AlterTable
ALTER TABLE "intercepts" ADD COLUMN "batch_id" TEXT;
ALTER TABLE "intercepts" ADD COLUMN "batch_pos" INTEGER;
ALTER TABLE "intercepts" ADD COLUMN "record_hash" TEXT;

-- AlterTable
ALTER TABLE "policy_decisions" ADD COLUMN "batch_id" TEXT;
ALTER TABLE "policy_decisions" ADD COLUMN "batch_pos" INTEGER;
ALTER TABLE "policy_decisions" ADD COLUMN "record_hash" TEXT;

-- AlterTable
ALTER TABLE "handoffs" ADD COLUMN "batch_id" TEXT;
ALTER TABLE "handoffs" ADD COLUMN "batch_pos" INTEGER;
ALTER TABLE "handoffs" ADD COLUMN "record_hash" TEXT;

-- CreateTable
CREATE TABLE "evidence_batches" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "position" BIGINT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "record_count" INTEGER NOT NULL,
    "leaves" TEXT NOT NULL,
    "merkle_root" TEXT NOT NULL,
    "prev_hash" TEXT NOT NULL,
    "chain_hash" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "tombstones" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "record_table" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "record_hash" TEXT,
    "batch_id" TEXT,
    "batch_pos" INTEGER,
    "deleted_at" BIGINT NOT NULL,
    "reason" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "deletion_id" TEXT
);

-- CreateTable
CREATE TABLE "signing_keys" (
    "fingerprint" TEXT NOT NULL PRIMARY KEY,
    "public_key" TEXT NOT NULL,
    "created_at" BIGINT NOT NULL,
    "retired_at" BIGINT
);

-- CreateIndex
CREATE UNIQUE INDEX "evidence_batches_position_key" ON "evidence_batches"("position");

-- CreateIndex
CREATE INDEX "tombstones_batch_id_idx" ON "tombstones"("batch_id");

-- CreateIndex
CREATE INDEX "tombstones_deletion_id_idx" ON "tombstones"("deletion_id");

-- CreateIndex
CREATE UNIQUE INDEX "tombstones_record_table_record_id_key" ON "tombstones"("record_table", "record_id");

