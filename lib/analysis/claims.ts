// Verdict's own evaluator. For each claim of a handoff: find the recorded intercept it rests
// on (by query_record_id, by call_ref, and by the loader's rule), say when those disagree,
// and apply the claim's mode exactly as the evaluator does. Pure: the caller fetches the
// candidate intercepts (lib/handoffs/candidates.ts) and passes them in.
import { isPlainObject, type Json } from "../records/json";
import type { CallKind } from "./classify-call";
import { applyMode, combineOutcomes, quoteJson, type AtPath, type Outcome, type Quote } from "./claim-modes";
import { claimShape } from "../records/handoff";
import { applySourcerykitMode } from "./sourcerykit-modes";

/** A recorded intercept, as the analysis needs it. */
export interface RecordedCall {
  id: string;
  source: string;
  sourceId: string | null;
  agentId: string;
  actionName: string;
  kind: CallKind;
  llmProvider: string | null;
  sourceUrl: string;
  method: string;
  createdAt: string;
  ts: number;
  callRef: string | null;
  isLeak: boolean;
  leakToolId: string | null;
  /** the parsed raw_response; null when none was recorded */
  response: Json | null;
}

/** A handoff, as the analysis needs it. */
export interface HandoffSubject {
  id: string;
  source: string;
  agentId: string;
  ts: number;
  payload: Json;
}

/** One entry of a generation-B claim's claimed_value list (sourcerykit's ClaimedValue). */
export interface ClaimedEntry {
  path: string;
  value: Json;
  ref: string | null;
}

/**
 * One claim, read the same way for every generation (a legacy call_ref claim yields one per
 * claimed value; a sourcerykit 1.0.1 claim stays one claim with its `entries`, as its
 * evaluator returns one result per claim).
 */
export interface Claim {
  index: number;
  generation: "2.0" | "call_ref" | "B";
  actionName: string | null;
  mode: string;
  url: string | null;
  claimedValue: Json | undefined;
  jsonPath: string | null;
  expectedSchema?: Json;
  rangeMin: number | null;
  rangeMax: number | null;
  queryRecordId: string | null;
  callRef: string | null;
  /** the call_ref generation's reference of the claimed value */
  ref?: Json;
  /** generation B: the {path, value, sourcerykit_ref} list, in order */
  entries?: ClaimedEntry[];
  /** generation B, imported: trace_intercepts.intercept_id, the row the evaluator compared */
  interceptId?: string | null;
  traceInterceptId?: string | null;
}

const str = (v: unknown): string | null => (typeof v === "string" ? v : typeof v === "number" ? String(v) : null);
const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);

/** The claims of a stored payload, in order. */
export function readClaims(payload: Json): Claim[] {
  const claims = isPlainObject(payload) && Array.isArray(payload.claims) ? payload.claims : [];
  const out: Claim[] = [];
  for (const c of claims) {
    if (!isPlainObject(c)) continue;
    const common = {
      actionName: str(c.action_name),
      mode: str(c.verification_mode) ?? (Array.isArray(c.claimed_values) ? "field_extraction" : ""),
      url: isPlainObject(c.request_payload) ? str(c.request_payload.url) : null,
      rangeMin: numOrNull(c.range_min),
      rangeMax: numOrNull(c.range_max),
      queryRecordId: str(c.query_record_id),
      callRef: str(c.call_ref),
    };
    if (claimShape(c) === "B") {
      const entries: ClaimedEntry[] = Array.isArray(c.claimed_value)
        ? c.claimed_value.filter((v): v is { [key: string]: Json } => isPlainObject(v)).map((v) => ({ path: str(v.path) ?? "$", value: v.value as Json, ref: str(v.sourcerykit_ref) }))
        : [];
      // 1.0.1's builder copies the first entry's sourcerykit_ref into call_ref; an empty call_ref falls back to it.
      const callRef = str(c.call_ref)?.trim() || entries.find((e) => e.ref)?.ref?.trim() || null;
      out.push({
        ...common,
        mode: str(c.verification_mode) || "field_extraction",
        callRef,
        index: out.length,
        generation: "B",
        claimedValue: c.claimed_value as Json | undefined,
        jsonPath: str(c.json_path),
        expectedSchema: c.expected_json_schema as Json | undefined,
        entries,
        interceptId: str(c.intercept_id),
        traceInterceptId: str(c.trace_intercept_id),
        queryRecordId: null,
      });
    } else if (Array.isArray(c.claimed_values)) {
      for (const v of c.claimed_values) {
        if (!isPlainObject(v)) continue;
        out.push({ ...common, index: out.length, generation: "call_ref", claimedValue: v.value as Json, jsonPath: str(v.path), ref: v.sourcerykit_ref as Json });
      }
    } else {
      out.push({
        ...common,
        index: out.length,
        generation: "2.0",
        claimedValue: c.claimed_value as Json | undefined,
        jsonPath: str(c.json_path),
        expectedSchema: c.expected_json_schema as Json | undefined,
      });
    }
  }
  return out;
}

export type ResolvedBy = "query_record_id" | "intercept_id" | "call_ref" | "loader";

export interface Resolution {
  byRecordId: RecordedCall | null;
  /** generation B, imported: the row trace_intercepts.intercept_id names */
  byInterceptId: RecordedCall | null;
  /** the first inserted row with the claim's call_ref (what 1.0.1's loader reads) */
  byCallRef: RecordedCall | null;
  /** every row carrying the claim's call_ref, first inserted first */
  callRefRows: RecordedCall[];
  /** the loader's rule: newest row for (agent_id, action_name) at or before the handoff */
  byLoader: RecordedCall | null;
  resolved: RecordedCall | null;
  resolvedBy: ResolvedBy | null;
  /** the newest tool call for (agent_id, action_name) at or before the handoff */
  toolCall: RecordedCall | null;
  /** sentences, one per pair of rules that point at different rows */
  disagreements: string[];
}

const newest = (rows: RecordedCall[]) =>
  rows.reduce<RecordedCall | null>((best, r) => (!best || r.ts > best.ts || (r.ts === best.ts && r.id > best.id) ? r : best), null);

/**
 * First inserted first. The recorder writes each row in its own transaction with
 * created_at = NOW(), so creation time is insertion order; Verdict ids (time-ordered) break ties.
 */
export const firstInsertedFirst = (a: RecordedCall, b: RecordedCall) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Rows of the handoff's agent with this tag, at or before the handoff (the loader's candidates). */
export function taggedRows(handoff: HandoffSubject, actionName: string | null, calls: RecordedCall[]): RecordedCall[] {
  if (actionName === null) return [];
  return calls.filter((r) => r.agentId === handoff.agentId && r.actionName === actionName && r.ts <= handoff.ts && r.kind !== "filler");
}

export function resolveClaim(handoff: HandoffSubject, claim: Claim, calls: RecordedCall[]): Resolution {
  // query_record_id names a row of the same source; the handoff's source is that source.
  const byRecordId = claim.queryRecordId === null ? null : (calls.find((r) => r.source === handoff.source && r.sourceId === claim.queryRecordId) ?? null);
  const interceptId = claim.interceptId ?? null;
  const byInterceptId = interceptId === null ? null : (calls.find((r) => r.source === handoff.source && r.sourceId === interceptId) ?? null);
  // Generation B's rule (and the legacy call_ref shape's): the first inserted row with the call_ref.
  const callRefRows = claim.callRef === null ? [] : calls.filter((r) => r.callRef === claim.callRef && r.kind !== "filler").sort(firstInsertedFirst);
  const byCallRef = callRefRows[0] ?? null;
  // Generation A's rule (the loader): the newest row for (agent_id, action_name). Generation B has no loader by tag.
  const tagged = claim.generation === "B" ? [] : taggedRows(handoff, claim.actionName, calls);
  const byLoader = newest(tagged);
  // The tool call the claim should rest on: for B the tool's own row among the call_ref's rows.
  const toolCall = claim.generation === "B" ? (callRefRows.find((r) => r.kind === "tool_call") ?? null) : newest(tagged.filter((r) => r.kind === "tool_call"));
  const [resolved, resolvedBy]: [RecordedCall | null, ResolvedBy | null] = byInterceptId
    ? [byInterceptId, "intercept_id"]
    : byRecordId
      ? [byRecordId, "query_record_id"]
      : byCallRef
        ? [byCallRef, "call_ref"]
        : byLoader
          ? [byLoader, "loader"]
          : [null, null];
  const disagreements: string[] = [];
  if (callRefRows.length > 1) {
    disagreements.push(
      `${callRefRows.length} recorded rows carry call_ref ${claim.callRef}: ${callRefRows.map((r) => `${r.id} (${r.kind === "llm_call" ? `${r.llmProvider ?? "LLM"} call` : r.kind.replace("_", " ")}, ${r.method} ${r.sourceUrl})`).join("; ")}. ` +
        `The evaluator reads the first inserted one (${callRefRows[0].id}).`,
    );
  }
  const named: [string, RecordedCall | null][] = [
    [`intercept_id ${interceptId}`, byInterceptId],
    [`query_record_id ${claim.queryRecordId}`, byRecordId],
    [`call_ref ${claim.callRef} (first inserted row)`, byCallRef],
    [`the loader (newest row tagged ${claim.actionName})`, byLoader],
  ];
  for (let i = 0; i < named.length; i++) {
    for (let j = i + 1; j < named.length; j++) {
      const [an, a] = named[i];
      const [bn, b] = named[j];
      if (a && b && a.id !== b.id) disagreements.push(`${an} points at ${a.id}, but ${bn} points at ${b.id}.`);
    }
  }
  if (claim.queryRecordId !== null && !byRecordId) disagreements.push(`query_record_id ${claim.queryRecordId} names no recorded intercept of source ${handoff.source}.`);
  if (interceptId !== null && !byInterceptId) disagreements.push(`intercept_id ${interceptId} names no recorded intercept of source ${handoff.source}.`);
  return { byRecordId, byInterceptId, byCallRef, callRefRows, byLoader, resolved, resolvedBy, toolCall, disagreements };
}

export interface ClaimEvaluation {
  result: Outcome;
  detail: string | null;
  atPath: AtPath;
}

/** The claim's mode against one recorded row; ERROR when there is no row or no response. */
export function evaluateAgainst(claim: Claim, row: RecordedCall | null, quote: Quote = quoteJson): ClaimEvaluation {
  if (!row) {
    const detail = claim.generation === "B" && claim.callRef ? `No intercept found for call_ref=${claim.callRef}` : "no recorded intercept to check the claim against";
    return { result: "ERROR", detail, atPath: { found: false, reason: "no recorded intercept" } };
  }
  if (row.response === null) return { result: "ERROR", detail: `intercept ${row.id} has no recorded response`, atPath: { found: false, reason: "no recorded response" } };
  if (claim.generation === "B") return applySourcerykitMode(claim, row.response, quote);
  return applyMode(
    {
      mode: claim.mode,
      claimedValue: claim.claimedValue,
      jsonPath: claim.jsonPath,
      expectedSchema: claim.expectedSchema,
      rangeMin: claim.rangeMin,
      rangeMax: claim.rangeMax,
      stringCompare: claim.generation === "call_ref",
    },
    row.response,
    quote,
  );
}

export { combineOutcomes };
