// Which records no deletion may remove (docs/retention.md, "What a hold keeps"):
//   - everything of an agent or a source under an explicit hold, and each record held by id;
//   - every held handoff — CAUGHT by the evaluator or by Verdict (unless its automatic hold
//     was released), or held by id — together with what it rests on:
//       * the intercepts Verdict's analysis of it reads (fetchEvidence with causes, lib/handoffs/candidates.ts: the rows
//         its claims resolve to by query_record_id / intercept_id / call_ref, the newest tool,
//         LLM and untagged row per claimed tag at or before it, the tool calls those LLM rows
//         leak, the agent's 50 newest untagged calls, and the other agents' tool calls read
//         when the tag was never recorded for this agent). Keeping them keeps its outcome and
//         its causes exactly as they were: every look-up picks the newest rows, and those stay;
//       * the policy decisions of the same agent on those tools (tool_name = a claimed tag or
//         the tag of a held tool call), from one hour before the earliest held call of the
//         agent up to the handoff: the gate's decisions about the very calls it rests on;
//   - the tool call a held LLM call leaks (its leak link), so a held leak stays a leak.
// One place decides: heldRecordIds. Handoffs and leaks a reviewer has marked (reviews) are
// held like explicit holds (heldHandoffIds and reviewedLeakIds, lib/db/queries/held-records.ts).
import type { DbHandle } from "../db/client";
import { activeHolds, recordKey, type ActiveHolds } from "../db/queries/legal-holds";
import { activeHoldIds, gateDecisionIds, handoffSubjects, heldHandoffIds, leakedToolsOfSource, leakLinksOf, reviewedLeakIds } from "../db/queries/held-records";
import { readClaims, type HandoffSubject } from "../analysis/claims";
import type { RecordTable } from "../records/record-tables";
import { fetchEvidence } from "../handoffs/candidates";

/** How far before a held call the gate decisions about it are looked for (µs). */
export const GATE_WINDOW_US = 3600 * 1_000_000;

export interface HeldState {
  holds: ActiveHolds;
  /** recordKey(table, id) of every record a held handoff or held leak rests on */
  evidence: Set<string>;
  /** handoffs already expanded, so a refresh only looks at new ones */
  expanded: Set<string>;
  /** ids of the holds in force when last refreshed */
  holdIds: Set<string>;
}

/**
 * Called in every deletion batch's transaction: a hold placed since the last refresh (its id
 * is new) is taken into account before this batch deletes anything. One read of the small
 * legal_holds table; the full refresh only when something was placed.
 */
export async function ensureCurrentHolds(h: DbHandle, state: HeldState): Promise<void> {
  const ids = await activeHoldIds(h);
  if ([...ids].some((id) => !state.holdIds.has(id))) await refreshHeldState(h, state);
}

/** LLM calls held one by one (explicit record holds); reviewed leaks join here. */
function heldLeakIds(holds: ActiveHolds): string[] {
  return [...holds.records].filter((k) => k.startsWith("intercepts\u0000")).map((k) => k.slice("intercepts\u0000".length));
}

/** What one held handoff rests on, as record keys (the handoff itself included). */
export async function restsOn(handle: DbHandle, h: HandoffSubject): Promise<Set<string>> {
  const keys = new Set<string>([recordKey("handoffs", h.id)]);
  const calls = await fetchEvidence(handle, h, true);
  for (const c of calls) {
    keys.add(recordKey("intercepts", c.id));
    if (c.leakToolId) keys.add(recordKey("intercepts", c.leakToolId));
  }
  const own = calls.filter((c) => c.agentId === h.agentId);
  const tools = new Set<string>(own.filter((c) => c.kind === "tool_call").map((c) => c.actionName));
  for (const claim of readClaims(h.payload)) if (claim.actionName) tools.add(claim.actionName);
  tools.delete("unknown");
  if (tools.size) {
    const lo = Math.min(h.ts, ...own.map((c) => c.ts)) - GATE_WINDOW_US;
    for (const id of await gateDecisionIds(handle, h.agentId, lo, h.ts, [...tools].slice(0, 200))) keys.add(recordKey("policy_decisions", id));
  }
  return keys;
}

/** Loads the holds in force and expands every held handoff and held leak into what it rests on. */
export async function loadHeldState(h: DbHandle): Promise<HeldState> {
  const state: HeldState = { holds: await activeHolds(h), evidence: new Set(), expanded: new Set(), holdIds: new Set() };
  await refreshHeldState(h, state);
  return state;
}

/**
 * Expands held handoffs not expanded yet (a CAUGHT handoff that arrived while a deletion runs,
 * a hold placed meanwhile). Called before each agent's records are deleted.
 */
export async function refreshHeldState(h: DbHandle, state: HeldState): Promise<void> {
  state.holdIds = await activeHoldIds(h);
  state.holds = await activeHolds(h);
  // Ids first (an index read); payloads only of the handoffs not expanded yet.
  const ids = (await heldHandoffIds(h))
    .filter((id) => !state.expanded.has(id) && !(state.holds.releasedCaught.has(id) && !state.holds.records.has(recordKey("handoffs", id))));
  for (let i = 0; i < ids.length; i += 500) {
    for (const subject of await handoffSubjects(h, ids.slice(i, i + 500))) {
      state.expanded.add(subject.id);
      for (const k of await restsOn(h, subject)) state.evidence.add(k);
    }
  }
  const leaks = [...new Set([...heldLeakIds(state.holds), ...(await reviewedLeakIds(h))])].filter((id) => !state.expanded.has(`i:${id}`));
  for (let i = 0; i < leaks.length; i += 500) {
    for (const r of await leakLinksOf(h, leaks.slice(i, i + 500))) {
      state.expanded.add(`i:${r.id}`);
      state.evidence.add(recordKey("intercepts", String(r.id))); // the leak itself (a reviewed one has no explicit hold)
      if (r.l) state.evidence.add(recordKey("intercepts", r.l));
      if (r.p) state.evidence.add(recordKey("intercepts", r.p));
    }
  }
  // A source under hold keeps the tool calls its leaks point at, even in another source.
  for (const source of state.holds.sources) {
    if (state.expanded.has(`s:${source}`)) continue;
    state.expanded.add(`s:${source}`);
    for (const l of await leakedToolsOfSource(h, source)) state.evidence.add(recordKey("intercepts", l));
  }
}

export interface CandidateRow {
  id: string;
  agent_id: string;
  source: string;
}

/** The candidates that must stay: the one hold check every deletion goes through. */
export function heldRecordIds(state: HeldState, table: RecordTable, rows: readonly CandidateRow[]): Set<string> {
  const held = new Set<string>();
  const { holds, evidence } = state;
  for (const r of rows) {
    const key = recordKey(table, r.id);
    if (holds.agents.has(r.agent_id) || holds.sources.has(r.source) || holds.records.has(key) || evidence.has(key)) held.add(r.id);
  }
  return held;
}
