-- DropIndex
DROP INDEX "intercepts_agent_id_action_name_kind_ts_idx";

-- CreateIndex
CREATE INDEX "intercepts_agent_id_action_name_kind_ts_id_idx" ON "intercepts"("agent_id", "action_name", "kind", "ts", "id");

