// The intercepts a handoff's claims may rest on, fetched with indexed look-ups
// (lib/db/queries/handoffs.ts): which look-ups follows from the claims (lib/analysis/claims.ts).
// Read by the detail view, by re-judging at ingest (lib/ingest/outcomes.ts) and by legal holds
// (lib/retention/held-records.ts), so all three see the same rows.
import type { DbHandle } from "../db/client";
import { callsByCallRefs, callsByIds, callsBySourceIds, newestCallsOfTag, recentUntaggedCalls, toolCallsOfTagElsewhere } from "../db/queries/handoffs";
import { readClaims, type HandoffSubject, type RecordedCall } from "../analysis/claims";

/**
 * The intercepts a handoff's claims may rest on: rows named by query_record_id (same source),
 * rows with a claim's call_ref, and per tag the newest tool, LLM and untagged row at or before
 * the handoff (the loader's candidates). With `forCauses`, also what the causes need: the tool
 * calls leaked LLM rows point at, the agent's recent untagged calls, and — only when the tag was
 * never recorded for this agent — the newest calls with that tag under other agent ids.
 */
export async function fetchEvidence(handle: DbHandle, h: HandoffSubject, forCauses: boolean): Promise<RecordedCall[]> {
  const claims = readClaims(h.payload);
  const found = new Map<string, RecordedCall>();
  const add = (calls: RecordedCall[]) => calls.forEach((c) => found.set(c.id, c));
  const recordIds = [...new Set(claims.flatMap((c) => [c.queryRecordId, c.interceptId ?? null]).filter((x): x is string => x !== null))].slice(0, 500);
  if (recordIds.length) add(await callsBySourceIds(handle, h.source, recordIds));
  const callRefs = [...new Set(claims.map((c) => c.callRef).filter((x): x is string => x !== null))].slice(0, 500);
  if (callRefs.length) add(await callsByCallRefs(handle, callRefs));
  // Generation B has no loader by tag: its claims rest on their call_ref (or intercept_id) only.
  const actions = [...new Set(claims.filter((c) => c.generation !== "B").map((c) => c.actionName).filter((x): x is string => x !== null))].slice(0, 200);
  for (const action of actions) add(await newestCallsOfTag(handle, h.agentId, action, h.ts));
  if (!forCauses) return [...found.values()];
  return causeEvidence(handle, h, [...found.values()]);
}

/** fetchEvidence's `forCauses` part: the calls the causes need beyond the claims' candidates. */
export async function causeEvidence(handle: DbHandle, h: HandoffSubject, candidates: RecordedCall[]): Promise<RecordedCall[]> {
  const claims = readClaims(h.payload);
  const found = new Map(candidates.map((c) => [c.id, c]));
  const add = (calls: RecordedCall[]) => calls.forEach((c) => found.set(c.id, c));
  const actions = [...new Set(claims.filter((c) => c.generation !== "B").map((c) => c.actionName).filter((x): x is string => x !== null))].slice(0, 200);
  const leakTools = [...new Set([...found.values()].map((c) => c.leakToolId).filter((x): x is string => x !== null && !found.has(x)))];
  if (leakTools.length) add(await callsByIds(handle, leakTools));
  add(await recentUntaggedCalls(handle, h.agentId, h.ts));
  for (const action of actions) {
    const hasTool = [...found.values()].some((c) => c.agentId === h.agentId && c.actionName === action && c.kind === "tool_call");
    if (hasTool) continue;
    add(await toolCallsOfTagElsewhere(handle, action, h.agentId));
  }
  return [...found.values()];
}
