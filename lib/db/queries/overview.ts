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

/** The headline figures of the overview page (filler rows excluded). */
export async function overviewCounts({ db, dialect }: { db: Db; dialect: Dialect }): Promise<OverviewCounts> {
  const real = { kind: { not: "filler" } };
  const [agents, intercepts, llmCalls, leaks, untaggedCalls, policyDecisions, blocks, handoffs, caught] = await Promise.all([
    query<{ n: unknown }>(db, dialect,
      `SELECT COUNT(*) AS n FROM (SELECT "agent_id" FROM "intercepts" WHERE "kind" <> 'filler'
         UNION SELECT "agent_id" FROM "policy_decisions" UNION SELECT "agent_id" FROM "handoffs") AS a`,
    ).then((r) => num(r[0]?.n)),
    db.intercept.count({ where: real }),
    db.intercept.count({ where: { kind: "llm_call" } }),
    db.intercept.count({ where: { isLeak: true } }),
    db.intercept.count({ where: { kind: "untagged_call" } }),
    db.policyDecision.count(),
    // A tool call blocked on three edges is one blocked call: count distinct calls.
    query<{ n: unknown }>(db, dialect, `SELECT COUNT(DISTINCT "call_key") AS n FROM "policy_decisions" WHERE "action" = 'BLOCK'`).then((r) => num(r[0]?.n)),
    db.handoff.count(),
    db.handoff.count({ where: { OR: [{ evaluatorOutcome: "CAUGHT" }, { verdictOutcome: "CAUGHT" }] } }),
  ]);
  return { agents, intercepts, llmCalls, leaks, untaggedCalls, policyDecisions, blocks, handoffs, caught };
}
