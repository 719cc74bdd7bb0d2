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
  const sums = ["intercepts", "llm_calls", "leaks", "untagged_calls", "policy_decisions", "handoffs", "caught"];
  const [totals, blocks] = await Promise.all([
    query<Record<string, unknown>>(db, dialect,
      `SELECT COUNT(*) AS "agents", ${sums.map((c) => `CAST(COALESCE(SUM("${c}"), 0) AS BIGINT) AS "${c}"`).join(", ")} FROM "agent_stats"`),
    // A tool call blocked on three edges is one blocked call: count distinct calls.
    query<{ n: unknown }>(db, dialect, `SELECT COUNT(DISTINCT "call_key") AS n FROM "policy_decisions" WHERE "action" = 'BLOCK'`).then((r) => num(r[0]?.n)),
  ]);
  const t = totals[0] ?? {};
  return {
    agents: num(t.agents),
    intercepts: num(t.intercepts),
    llmCalls: num(t.llm_calls),
    leaks: num(t.leaks),
    untaggedCalls: num(t.untagged_calls),
    policyDecisions: num(t.policy_decisions),
    blocks,
    handoffs: num(t.handoffs),
    caught: num(t.caught),
  };
}
