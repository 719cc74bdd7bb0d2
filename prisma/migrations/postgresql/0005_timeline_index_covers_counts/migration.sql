-- DropIndex
DROP INDEX "intercepts_agent_id_ts_id_idx";

-- DropIndex
DROP INDEX "intercepts_agent_id_kind_is_leak_ts_idx";

-- CreateIndex
CREATE INDEX "intercepts_agent_id_ts_id_kind_is_leak_idx" ON "intercepts"("agent_id", "ts", "id", "kind", "is_leak");

