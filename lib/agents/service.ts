// Agents as the API and the pages show them: the agent_stats rows made into the contract's
// AgentSummary, the activity chart's buckets, and the one loader of an agent's page, which
// the dashboard's agent page and a shared agent view both render.
import type { ClientHandle } from "../db/client";
import { activityRows, agentTagUses, claimedActionNames, getAgent, listAgents, type AgentStatsRow } from "../db/queries/agents";
import { STAT_COUNTS } from "../db/queries/agent-stats";
import { agentGaps, type AgentGap } from "../db/queries/deletions";
import type { Activity, AgentSummary, TimelinePage } from "../api-contract/timeline";
import { tagFindings, type TagFinding } from "../analysis/leaks";
import { formatMicros } from "../records/timestamp";
import type { LinkScope } from "../records/record-links";
import { timelinePage } from "../timeline/service";
import type { TimelineView } from "../timeline/filter";


function toSummary(r: AgentStatsRow): AgentSummary {
  const out = { agent_id: r.agent_id } as AgentSummary;
  for (const c of STAT_COUNTS) out[c] = r[c];
  out.first_seen = formatMicros(r.first_ts);
  out.last_seen = formatMicros(r.last_ts);
  return out;
}

/** Every agent with its counts, by agent_id (GET /api/v1/agents, the agents page). */
export async function agentSummaries(conn: ClientHandle): Promise<AgentSummary[]> {
  return (await listAgents(conn)).map(toSummary);
}

export async function agentSummary(conn: ClientHandle, agentId: string): Promise<AgentSummary | null> {
  const row = await getAgent(conn, agentId);
  return row && toSummary(row);
}

/** Calls per time bucket for the activity chart (at most `maxBuckets` buckets). */
export async function agentActivity(conn: ClientHandle, agentId: string, maxBuckets?: number): Promise<Activity> {
  const { minutes, rows } = await activityRows(conn, agentId, maxBuckets);
  return { bucketSeconds: minutes * 60, buckets: rows };
}

export type AgentPage =
  | { agentId: string; agent: null; gaps: AgentGap[] }
  | { agentId: string; agent: AgentSummary; gaps: AgentGap[]; findings: TagFinding[]; page: TimelinePage; actionTags: string[]; activity: Activity };

/**
 * What an agent's page shows: its counts, the first page of its timeline for the URL's
 * filters (with the scope's links), its action tags and activity. The dashboard also shows
 * the deletions that left gaps and the tagging findings (which read the handoffs' claims); a
 * share shows the agent's own events only. `agent` is null when agent_stats has no row —
 * then only the gaps are read (every record deleted, or none ever stored).
 */
export async function loadAgentPage(conn: ClientHandle, agentId: string, { view, scope }: { view: TimelineView; scope: LinkScope }): Promise<AgentPage> {
  const dashboard = scope.kind === "dashboard";
  const [agent, gaps] = await Promise.all([agentSummary(conn, agentId), dashboard ? agentGaps(conn, agentId) : []]);
  if (!agent) return { agentId, agent, gaps };
  const [page, uses, claimed, activity] = await Promise.all([
    timelinePage(conn, { ...view, agentId }, scope),
    agentTagUses(conn, agentId),
    dashboard ? claimedActionNames(conn, agentId) : null,
    agentActivity(conn, agentId),
  ]);
  const actionTags = [...new Set(uses.map((u) => u.actionName))].sort();
  return { agentId, agent, gaps, findings: claimed ? tagFindings(uses, claimed) : [], page, actionTags, activity };
}
