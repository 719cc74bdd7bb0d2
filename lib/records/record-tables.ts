// The three tables that hold records (intercepts, policy decisions, handoffs): named once, for
// the evidence chain (lib/evidence), legal holds and deletion (lib/db, lib/retention) and the
// API contract, which all list or key records by table.
export const RECORD_TABLES = ["intercepts", "policy_decisions", "handoffs"] as const;
export type RecordTable = (typeof RECORD_TABLES)[number];
