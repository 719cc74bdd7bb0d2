// Verdict's own evaluator. For each claim of a handoff: find the recorded intercept it rests
// on (by query_record_id, by call_ref, and by the loader's rule), say when those disagree,
// and apply the claim's mode exactly as the evaluator does. Pure: the caller fetches the
// candidate intercepts (lib/db/queries/handoffs.ts) and passes them in.
import { isPlainObject, type Json } from "../records/json";
import type { CallKind } from "./classify-call";
import { applyMode, combineOutcomes, quoteJson, type AtPath, type Outcome, type Quote } from "./claim-modes";

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

/** One claim, read the same way for both generations (a call_ref claim yields one per claimed value). */
export interface Claim {
  index: number;
  generation: "2.0" | "call_ref";
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
    if (Array.isArray(c.claimed_values)) {
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

export type ResolvedBy = "query_record_id" | "call_ref" | "loader";

export interface Resolution {
  byRecordId: RecordedCall | null;
  byCallRef: RecordedCall | null;
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

/** Rows of the handoff's agent with this tag, at or before the handoff (the loader's candidates). */
export function taggedRows(handoff: HandoffSubject, actionName: string | null, calls: RecordedCall[]): RecordedCall[] {
  if (actionName === null) return [];
  return calls.filter((r) => r.agentId === handoff.agentId && r.actionName === actionName && r.ts <= handoff.ts && r.kind !== "filler");
}

export function resolveClaim(handoff: HandoffSubject, claim: Claim, calls: RecordedCall[]): Resolution {
  // query_record_id names a row of the same source; the handoff's source is that source.
  const byRecordId = claim.queryRecordId === null ? null : (calls.find((r) => r.source === handoff.source && r.sourceId === claim.queryRecordId) ?? null);
  const byCallRef = claim.callRef === null ? null : newest(calls.filter((r) => r.callRef === claim.callRef));
  const tagged = taggedRows(handoff, claim.actionName, calls);
  const byLoader = newest(tagged);
  const toolCall = newest(tagged.filter((r) => r.kind === "tool_call"));
  const [resolved, resolvedBy]: [RecordedCall | null, ResolvedBy | null] = byRecordId
    ? [byRecordId, "query_record_id"]
    : byCallRef
      ? [byCallRef, "call_ref"]
      : byLoader
        ? [byLoader, "loader"]
        : [null, null];
  const disagreements: string[] = [];
  const named: [string, RecordedCall | null][] = [
    [`query_record_id ${claim.queryRecordId}`, byRecordId],
    [`call_ref ${claim.callRef}`, byCallRef],
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
  return { byRecordId, byCallRef, byLoader, resolved, resolvedBy, toolCall, disagreements };
}

export interface ClaimEvaluation {
  result: Outcome;
  detail: string | null;
  atPath: AtPath;
}

/** The claim's mode against one recorded row; ERROR when there is no row or no response. */
export function evaluateAgainst(claim: Claim, row: RecordedCall | null, quote: Quote = quoteJson): ClaimEvaluation {
  if (!row) return { result: "ERROR", detail: "no recorded intercept to check the claim against", atPath: { found: false, reason: "no recorded intercept" } };
  if (row.response === null) return { result: "ERROR", detail: `intercept ${row.id} has no recorded response`, atPath: { found: false, reason: "no recorded response" } };
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
