// Which records no deletion may remove (docs/retention.md, "What a hold keeps"):
//   - everything of an agent or a source under an explicit hold, and each record held by id;
//   - every held handoff — CAUGHT by the evaluator or by Verdict (unless its automatic hold
//     was released), or held by id — together with what it rests on:
//       * the intercepts Verdict's analysis of it reads (fetchEvidence with causes: the rows
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
// held like explicit holds: heldHandoffsSql and reviewedLeakIds below.
import type { Tx } from "../client";
import type { Dialect } from "../config";
import { num, query } from "../sql";
import { boolParam } from "../dialect";
import { tryParseJson } from "../../records/json";
import { readClaims, type HandoffSubject } from "../../analysis/claims";
import { FILLER_AGENT_ID } from "../../records/intercept";
import { fetchEvidence } from "./handoffs";
import { activeHolds, recordKey, type ActiveHolds } from "./legal-holds";
import type { RecordTable } from "../../records/record-tables";

export { FILLER_AGENT_ID };

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
export async function ensureCurrentHolds(tx: Tx, dialect: Dialect, state: HeldState): Promise<void> {
  const rows = await query<{ id: string }>(tx, dialect, `SELECT "id" FROM "legal_holds" WHERE "released_at" IS NULL`);
  if (rows.some((r) => !state.holdIds.has(String(r.id)))) await refreshHeldState(tx, dialect, state);
}

/**
 * The ids of the handoffs on hold: CAUGHT ones, those a reviewer has marked (review_state,
 * the newest review's state), and those held by id.
 */
function heldHandoffsSql(): string {
  return `SELECT "id" FROM "handoffs"
    WHERE ("evaluator_outcome" = 'CAUGHT' OR "verdict_outcome" = 'CAUGHT' OR "review_state" IS NOT NULL)
       OR "id" IN (SELECT "record_id" FROM "legal_holds" WHERE "record_table" = 'handoffs' AND "released_at" IS NULL AND "automatic" = ?)`;
}

/** LLM calls held one by one (explicit record holds); reviewed leaks join here. */
function heldLeakIds(holds: ActiveHolds): string[] {
  return [...holds.records].filter((k) => k.startsWith("intercepts\u0000")).map((k) => k.slice("intercepts\u0000".length));
}

/** Leaks (LLM calls) a reviewer has marked: held with the tool calls they point at. */
async function reviewedLeakIds(tx: Tx, dialect: Dialect): Promise<string[]> {
  return (await query<{ id: string }>(tx, dialect, `SELECT DISTINCT "subject_id" AS "id" FROM "reviews" WHERE "subject_type" = 'intercept'`)).map((r) => String(r.id));
}

/** What one held handoff rests on, as record keys (the handoff itself included). */
export async function restsOn(tx: Tx, dialect: Dialect, h: HandoffSubject): Promise<Set<string>> {
  const keys = new Set<string>([recordKey("handoffs", h.id)]);
  const calls = await fetchEvidence(tx, dialect, h, true);
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
    const names = [...tools].slice(0, 200);
    const rows = await query<{ id: string }>(tx, dialect,
      `SELECT "id" FROM "policy_decisions" WHERE "agent_id" = ? AND "ts" >= ? AND "ts" <= ? AND "tool_name" IN (${names.map(() => "?").join(", ")})`,
      [h.agentId, lo, h.ts, ...names]);
    for (const r of rows) keys.add(recordKey("policy_decisions", r.id));
  }
  return keys;
}

/** Loads the holds in force and expands every held handoff and held leak into what it rests on. */
export async function loadHeldState(tx: Tx, dialect: Dialect): Promise<HeldState> {
  const state: HeldState = { holds: await activeHolds(tx, dialect), evidence: new Set(), expanded: new Set(), holdIds: new Set() };
  await refreshHeldState(tx, dialect, state);
  return state;
}

/**
 * Expands held handoffs not expanded yet (a CAUGHT handoff that arrived while a deletion runs,
 * a hold placed meanwhile). Called before each agent's records are deleted.
 */
export async function refreshHeldState(tx: Tx, dialect: Dialect, state: HeldState): Promise<void> {
  state.holdIds = new Set((await query<{ id: string }>(tx, dialect, `SELECT "id" FROM "legal_holds" WHERE "released_at" IS NULL`)).map((r) => String(r.id)));
  state.holds = await activeHolds(tx, dialect);
  // Ids first (an index read); payloads only of the handoffs not expanded yet.
  const ids = (await query<{ id: string }>(tx, dialect, heldHandoffsSql(), [boolParam(dialect, false)])).map((r) => String(r.id))
    .filter((id) => !state.expanded.has(id) && !(state.holds.releasedCaught.has(id) && !state.holds.records.has(recordKey("handoffs", id))));
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await query(tx, dialect, `SELECT "id", "source", "agent_id", "ts", "payload" FROM "handoffs" WHERE "id" IN (${chunk.map(() => "?").join(", ")})`, chunk);
    for (const r of rows) {
      const id = String(r.id);
      state.expanded.add(id);
      const subject: HandoffSubject = { id, source: String(r.source), agentId: String(r.agent_id), ts: num(r.ts), payload: tryParseJson(String(r.payload))?.value ?? {} };
      for (const k of await restsOn(tx, dialect, subject)) state.evidence.add(k);
    }
  }
  const leaks = [...new Set([...heldLeakIds(state.holds), ...(await reviewedLeakIds(tx, dialect))])].filter((id) => !state.expanded.has(`i:${id}`));
  for (let i = 0; i < leaks.length; i += 500) {
    const chunk = leaks.slice(i, i + 500);
    const linked = await query<{ id: string; l: string | null; p: string | null }>(tx, dialect,
      `SELECT "id", "leak_tool_intercept_id" AS l, "parent_tool_intercept_id" AS p FROM "intercepts" WHERE "id" IN (${chunk.map(() => "?").join(", ")})`, chunk);
    for (const r of linked) {
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
    const linked = await query<{ l: string }>(tx, dialect,
      `SELECT DISTINCT "leak_tool_intercept_id" AS l FROM "intercepts" WHERE "source" = ? AND "leak_tool_intercept_id" IS NOT NULL`, [source]);
    for (const r of linked) state.evidence.add(recordKey("intercepts", r.l));
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
