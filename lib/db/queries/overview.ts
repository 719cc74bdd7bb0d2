import type { Db } from "../client";
import type { Dialect } from "../config";
import { num, query } from "../sql";

export interface OverviewCounts {
  agents: number;
  intercepts: number;
  llmCalls: number;
  leaks: number;
  untaggedCalls: number;
  policyDecisions: number;
  blocks: number;
  handoffs: number;
  caught: number;
}

/** The headline figures of the overview page (filler rows excluded), from agent_stats. */
export async function overviewCounts({ db, dialect }: { db: Db; dialect: Dialect }): Promise<OverviewCounts> {
  // blocks: tool calls blocked (one per blocked gate evaluation, however many edges fired), as on the agents list.
  const sums = ["intercepts", "llm_calls", "leaks", "untagged_calls", "policy_decisions", "blocks", "handoffs", "caught"];
  const totals = await query<Record<string, unknown>>(db, dialect,
    `SELECT COUNT(*) AS "agents", ${sums.map((c) => `CAST(COALESCE(SUM("${c}"), 0) AS BIGINT) AS "${c}"`).join(", ")} FROM "agent_stats"`);
  const t = totals[0] ?? {};
  return {
    agents: num(t.agents),
    intercepts: num(t.intercepts),
    llmCalls: num(t.llm_calls),
    leaks: num(t.leaks),
    untaggedCalls: num(t.untagged_calls),
    policyDecisions: num(t.policy_decisions),
    blocks: num(t.blocks),
    handoffs: num(t.handoffs),
    caught: num(t.caught),
  };
}
