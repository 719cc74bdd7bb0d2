-- CreateIndex
CREATE INDEX "intercepts_agent_id_kind_is_leak_ts_idx" ON "intercepts"("agent_id", "kind", "is_leak", "ts");

