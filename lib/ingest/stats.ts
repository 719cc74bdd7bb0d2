// The change of each agent's counts (agent_stats) a write makes: the batch's own rows give
// most deltas (statsOfNewRows); leak links and Verdict's outcomes that change on older rows
// give the rest (leaks, caught), and deletion takes them away. lib/db/queries/agent-stats.ts
// applies them in the same transaction.
import { STAT_COUNTS, type AgentStatsDelta, type StatCount } from "../db/queries/agent-stats";

export interface NewRows {
  intercepts: { agentId: string; kind: string; ts: number }[];
  policyDecisions: { agentId: string; ts: number }[];
  handoffs: { agentId: string; evaluatorOutcome: string | null; ts: number }[];
}

const zero = (): Record<StatCount, number> => Object.fromEntries(STAT_COUNTS.map((c) => [c, 0])) as Record<StatCount, number>;

/** Accumulates deltas per agent; `seen` and `bump` may be called in any order. */
export class StatsDeltas {
  private byAgent = new Map<string, AgentStatsDelta>();

  private of(agentId: string): AgentStatsDelta {
    let d = this.byAgent.get(agentId);
    if (!d) this.byAgent.set(agentId, (d = { agentId, counts: zero(), firstTs: null, lastTs: null }));
    return d;
  }

  /** A stored row at `ts` (widens the agent's first/last seen). */
  seen(agentId: string, ts: number): AgentStatsDelta {
    const d = this.of(agentId);
    d.firstTs = d.firstTs === null ? ts : Math.min(d.firstTs, ts);
    d.lastTs = d.lastTs === null ? ts : Math.max(d.lastTs, ts);
    return d;
  }

  /** A change of a count on rows stored earlier (a leak link, a CAUGHT outcome). */
  bump(agentId: string, count: StatCount, by: number): void {
    if (by !== 0) this.of(agentId).counts[count] += by;
  }

  /** Deltas that change something, in agent order (PostgreSQL locks rows in that order). */
  list(): AgentStatsDelta[] {
    return [...this.byAgent.values()]
      .filter((d) => d.firstTs !== null || STAT_COUNTS.some((c) => d.counts[c] !== 0))
      .sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
  }
}

/** The deltas of the rows a batch newly stored (filler intercepts are not agent traffic). */
export function statsOfNewRows(rows: NewRows, into = new StatsDeltas()): StatsDeltas {
  for (const r of rows.intercepts) {
    if (r.kind === "filler") continue;
    const c = into.seen(r.agentId, r.ts).counts;
    c.intercepts++;
    if (r.kind === "llm_call") c.llm_calls++;
    else if (r.kind === "tool_call") c.tool_calls++;
    else if (r.kind === "untagged_call") c.untagged_calls++;
  }
  for (const r of rows.policyDecisions) {
    const c = into.seen(r.agentId, r.ts).counts;
    c.policy_decisions++;
    // blocks: refreshBlockedCalls bumps it once per blocked tool call (not per invocation).
  }
  for (const r of rows.handoffs) {
    const c = into.seen(r.agentId, r.ts).counts;
    c.handoffs++;
    // Stored with no Verdict outcome yet; refreshVerdictOutcomes bumps `caught` when it sets one.
    if (r.evaluatorOutcome === "CAUGHT") c.caught++;
  }
  return into;
}

