// An agent's timeline as the API, the agent page and a shared view show it: the query's rows
// (lib/db/queries/timeline.ts) made into the events of the API contract, with the links of
// the scope that shows them (the dashboard's, or a share token's).
import type { ClientHandle } from "../db/client";
import { agentTimeline, type TimelineFilter, type TimelineRow, type ToolCallFacts } from "../db/queries/timeline";
import type { InterceptEvent, TimelineEvent, TimelinePage } from "../api-contract/timeline";
import { encodeTimelineCursor } from "../pagination/timeline-cursor";
import { DASHBOARD_SCOPE, recordLinks, type LinkScope, type RecordLinks } from "../records/record-links";
import { formatMicros } from "../records/timestamp";
import { depthLabel } from "../records/depth";
import { leakReason, tagStatus } from "../analysis/leaks";


/** One page of an agent's events; next_cursor is null on the last page. */
export async function timelinePage(conn: ClientHandle, filter: TimelineFilter, scope: LinkScope = DASHBOARD_SCOPE): Promise<TimelinePage> {
  const { rows, more, tools } = await agentTimeline(conn, filter);
  const links = recordLinks(scope);
  const events = rows.map((r) => toEvent(r, tools, filter.agentId, links));
  const last = rows.at(-1);
  return { events, next_cursor: more && last ? encodeTimelineCursor({ ts: last.ts, rank: last.rank, id: last.id }) : null };
}

// The keys are written in the order the API has always sent them.
function toEvent(r: TimelineRow, tools: Map<string, ToolCallFacts>, agentId: string, links: RecordLinks): TimelineEvent {
  const ts = r.ts;
  const base = {
    id: r.id,
    at: r.created_at ?? formatMicros(ts),
    cursor: encodeTimelineCursor({ ts, rank: r.rank, id: r.id }),
    source: r.source,
    source_id: r.source_id,
  };
  if (r.kind === "policy_decision") {
    const passed = r.passed;
    const edge = r.edge_source !== null && r.edge_target !== null
      ? { source: r.edge_source, target: r.edge_target, source_depth: depthLabel(r.source_depth), target_depth: depthLabel(r.target_depth) }
      : null;
    // An older callback's true is stored as passed: false (it fired); null: it raised.
    const result = passed === null ? "raised" : passed ? "passed" : "fired";
    const outcome = r.action ?? "not recorded";
    return {
      ...base,
      kind: "policy_decision",
      link: links.policyDecisions(agentId) ?? "",
      tool_name: r.tool_name ?? "",
      policy_name: r.policy_name,
      edge,
      passed,
      action: r.action,
      fail_closed: r.fail_closed,
      message: r.message,
      summary: `${r.tool_name}: ${r.policy_name ?? "policy"}${edge ? ` on ${edge.source} → ${edge.target}` : " (edge not recorded)"} — ${result}, gate ${outcome}`,
    };
  }
  if (r.kind === "handoff") {
    const outcome = r.evaluator_outcome === "NOT_EVALUATED" ? "not evaluated (it never finished)" : (r.evaluator_outcome ?? r.verdict_outcome ?? "not evaluated");
    return {
      ...base,
      kind: "handoff",
      link: links.handoff(r.id) ?? "",
      task: r.task,
      run_id: r.run_id,
      claim_count: r.claim_count,
      evaluator_outcome: r.evaluator_outcome,
      verdict_outcome: r.verdict_outcome,
      summary: `Handoff${r.task ? `: ${r.task}` : ""} — evaluator ${outcome}`,
    };
  }
  const isLeak = r.is_leak;
  const tool = isLeak && r.tool_id ? tools.get(r.tool_id) : undefined;
  const call = { actionName: r.action_name ?? "", method: r.method ?? "", host: r.host ?? "", path: r.path ?? "", ts, callRef: r.call_ref };
  return {
    ...base,
    kind: r.kind as InterceptEvent["kind"],
    link: links.intercept(r.id),
    method: call.method,
    host: call.host,
    path: call.path,
    action_name: call.actionName,
    tag_status: tagStatus({ actionName: call.actionName, isLeak }),
    llm_provider: r.llm_provider,
    run_id: r.run_id,
    call_ref: r.call_ref,
    leak: isLeak && r.tool_id ? { tool_intercept_id: r.tool_id, reason: tool ? leakReason(call, tool, r.parent_tool_id === r.tool_id) : `This LLM call carries the action tag "${call.actionName}" of an earlier tool call.` } : null,
    summary: `${call.method || "—"} ${call.host}${call.path}`,
  };
}
