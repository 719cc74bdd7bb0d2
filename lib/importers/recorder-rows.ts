// The recorder's own table rows → Verdict wire records (docs/records.md). Pure: the Postgres and
// CSV importers both read rows as plain objects (column name → value) and map them here, so
// an imported row is exactly what the same row sent to POST /api/v1/ingest would be.
//
// Generation B's `traces` / `trace_intercepts` as sourcerykit 1.0.1 writes them are in
// docs/records.md (Import path). What this importer reads (every column but the marked ones is
// optional; aliases in brackets):
//   traces:           id*, created_at*, agent_id, run_id, task, reasoning,
//                     outcome (PASS | CAUGHT | ERROR), errors (JSON array),
//                     payload (JSON: the handoff payload as the agent sent it),
//                     trusted_endpoint_registry (JSON array), handoff_contract_version
//   trace_intercepts: trace_id*, id, created_at, intercept_id [query_record_id], call_ref,
//                     action_name, verification_mode, json_path [path],
//                     claimed_value [claimed, value], indexed_value [indexed, recorded_value],
//                     indexed_at_path, result [outcome], detail [message]
// One trace becomes one handoff record (id = the trace id) whose evaluation is the
// recorder's: per_claim holds one entry per trace_intercepts row, in the per-claim result
// keys of docs/records.md, Handoffs; outcome is traces.outcome, else derived from the rows (any CAUGHT →
// CAUGHT, else any ERROR → ERROR, else PASS). When the trace has no payload column, the
// payload is rebuilt from the rows: rows with a call_ref are grouped into call_ref claims
// ({call_ref, claimed_values: [{path, value}]}), rows without one become contract-2.0 claims.
//
// sourcerykit 1.0.1 writes these tables itself (docs/records.md, db/_schema.py):
//   traces:           id, task, created_at (answer in later releases) — no agent, no outcome
//   trace_intercepts: id, trace_id, intercept_id, query_id, verification_mode,
//                     claimed_value (JSON text of [{path, value, sourcerykit_ref}]), outcome
//                     (NULL until evaluated; stays NULL when the evaluator raised), details,
//                     created_at, updated_at
// Such rows (recognized by query_id) become 1.0.1 claims: trace_intercept_id, action_name and
// call_ref of the joined intercepts row, claimed_value as the list, query_id,
// verification_mode, json_path "" (not stored by the recorder), and intercept_id — the row the
// evaluator compared. The handoff's agent is the agent of those intercepts. The evaluation
// follows 1.0.1's rules: any NULL outcome → NOT_EVALUATED; a row whose details say
// "verification_failed: …" is an evaluator error → ERROR; no rows → NOT_EVALUATED (nothing
// recorded); else any CAUGHT → CAUGHT, any ERROR → ERROR, else PASS.
import { isPlainObject, tryParseJson, type Json } from "../records/json";
import { NOT_EVALUATED } from "../records/handoff";

export type Row = Record<string, unknown>;
export type WireRecord = Record<string, unknown> & { type: string };

/** The intercept columns of both generations (docs/records.md, Intercepts) plus the wire extras. */
export const INTERCEPT_COLUMNS = [
  "id", "agent_id", "action_name", "source_url", "request_payload", "raw_response", "response_hash",
  "created_at", "call_ref", "run_id", "intercept_index",
] as const;
export const REQUIRED_INTERCEPT_COLUMNS = ["id", "agent_id", "action_name", "source_url", "created_at"] as const;

const present = (v: unknown) => v !== null && v !== undefined;

/**
 * One intercept row (generation A or B) → an intercept wire record. Columns the recorder
 * added that Verdict does not know are kept under `recorder_columns` (stored in `extra`).
 */
export function interceptRowToRecord(row: Row, source: string): WireRecord {
  const record: WireRecord = { type: "intercept", source };
  const unknown: Row = {};
  for (const [k, v] of Object.entries(row)) {
    if ((INTERCEPT_COLUMNS as readonly string[]).includes(k)) {
      if (present(v)) record[k] = k === "intercept_index" && typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : v;
    } else if (k !== "type" && k !== "source" && present(v)) unknown[k] = v;
  }
  if (Object.keys(unknown).length) record.recorder_columns = unknown;
  return record;
}

/** A JSON column as read: JSON value, JSON text, or absent. Non-JSON text stays text. */
function jsonOf(v: unknown): Json | undefined {
  if (!present(v)) return undefined;
  if (typeof v === "string") return tryParseJson(v)?.value ?? v;
  return v as Json;
}

const pick = (row: Row, ...names: string[]): unknown => {
  for (const n of names) if (present(row[n])) return row[n];
  return undefined;
};

const OUTCOMES = ["PASS", "CAUGHT", "ERROR"] as const;
type Outcome = (typeof OUTCOMES)[number];

function asOutcome(v: unknown): Outcome | undefined {
  const s = typeof v === "string" ? v.trim().toUpperCase() : "";
  return (OUTCOMES as readonly string[]).includes(s) ? (s as Outcome) : undefined;
}

/** The evaluator's rule: any CAUGHT → CAUGHT; else any ERROR → ERROR; else PASS. */
export function overallOutcome(results: (string | undefined)[]): Outcome {
  if (results.some((r) => asOutcome(r) === "CAUGHT")) return "CAUGHT";
  if (results.some((r) => asOutcome(r) === "ERROR")) return "ERROR";
  return "PASS";
}

function orderClaimRows(rows: Row[]): Row[] {
  const key = (r: Row) => [String(r.created_at ?? ""), String(r.id ?? "")] as const;
  return [...rows].sort((a, b) => {
    const [ca, ia] = key(a), [cb, ib] = key(b);
    if (ca !== cb) return ca < cb ? -1 : 1;
    const na = Number(ia), nb = Number(ib);
    if (Number.isFinite(na) && Number.isFinite(nb) && na !== nb) return na - nb;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  });
}

function perClaimResult(r: Row): Row {
  const out: Row = {
    action_name: pick(r, "action_name") ?? null,
    verification_mode: pick(r, "verification_mode") ?? null,
    claimed: jsonOf(pick(r, "claimed_value", "claimed", "value")) ?? null,
    indexed: jsonOf(pick(r, "indexed_value", "indexed", "recorded_value")) ?? null,
    json_path: pick(r, "json_path", "path") ?? null,
    indexed_at_path: jsonOf(pick(r, "indexed_at_path")) ?? null,
    result: asOutcome(pick(r, "result", "outcome")) ?? pick(r, "result", "outcome") ?? null,
    detail: pick(r, "detail", "message") ?? null,
    query_record_id: pick(r, "intercept_id", "query_record_id") ?? null,
  };
  const callRef = pick(r, "call_ref");
  if (present(callRef)) out.call_ref = callRef;
  return out;
}

/** The payload's claims, rebuilt from per-claim rows when the trace did not keep its payload. */
function claimsFromRows(rows: Row[]): Row[] {
  const byRef = new Map<string, Row & { claimed_values: Row[] }>();
  const claims: Row[] = [];
  for (const r of rows) {
    const callRef = pick(r, "call_ref");
    const path = pick(r, "json_path", "path");
    const claimed = pick(r, "claimed_value", "claimed", "value");
    if (present(callRef)) {
      const ref = String(callRef);
      let claim = byRef.get(ref);
      if (!claim) {
        claim = { call_ref: ref, claimed_values: [], verification_mode: pick(r, "verification_mode") ?? null, action_name: pick(r, "action_name") ?? null };
        byRef.set(ref, claim);
        claims.push(claim);
      }
      // The later generation compares stripped strings, so values travel as strings.
      claim.claimed_values.push({ path: String(path ?? "$"), value: typeof claimed === "string" ? claimed : JSON.stringify(jsonOf(claimed) ?? null) });
    } else {
      claims.push({
        action_name: pick(r, "action_name") ?? null,
        claimed_value: jsonOf(claimed) ?? null,
        query_record_id: pick(r, "intercept_id", "query_record_id") ?? null,
        verification_mode: pick(r, "verification_mode") ?? null,
        json_path: path ?? null,
      });
    }
  }
  return claims;
}

/** A trace_intercepts row as sourcerykit 1.0.1 writes it. */
export function isSourcerykitClaimRow(r: Row): boolean {
  return "query_id" in r && "claimed_value" in r && "intercept_id" in r;
}

const joined = (r: Row): Row => (isPlainObject(r.intercept) ? (r.intercept as Row) : {});

/** The most frequent agent of the intercepts the claims rest on (the first seen on a tie). */
function agentOfClaims(rows: Row[]): string | undefined {
  const counts = new Map<string, number>();
  for (const r of rows) {
    const a = joined(r).agent_id;
    if (typeof a === "string" && a) counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const [a, n] of counts) if (best === undefined || n > counts.get(best)!) best = a;
  return best;
}

/** One 1.0.1 trace and its trace_intercepts rows → one handoff wire record (see the header). */
function sourcerykitTraceToHandoff(trace: Row, rows: Row[], source: string): WireRecord {
  const claims = rows.map((r) => {
    const i = joined(r);
    const cv = jsonOf(r.claimed_value);
    return {
      trace_intercept_id: r.id ?? null,
      action_name: i.action_name ?? "",
      call_ref: i.call_ref ?? (Array.isArray(cv) && isPlainObject(cv[0]) ? (cv[0].sourcerykit_ref ?? "") : ""),
      claimed_value: cv ?? null,
      query_id: r.query_id ?? null,
      verification_mode: r.verification_mode ?? null,
      json_path: "",
      intercept_id: r.intercept_id ?? null,
    };
  });
  const payload: Row = { task: trace.task ?? "", claims, query_ids: rows.map((r) => r.query_id).filter(present) };
  if (present(trace.answer)) payload.answer = trace.answer;
  const record: WireRecord = { type: "handoff", source, id: trace.id as string | number, created_at: trace.created_at, payload };
  const agent = present(trace.agent_id) ? trace.agent_id : agentOfClaims(rows);
  if (agent) record.agent_id = agent;

  const perClaim = rows.map((r) => {
    const i = joined(r);
    const out: Row = {
      action_name: i.action_name ?? null,
      verification_mode: r.verification_mode ?? null,
      claimed: r.claimed_value ?? null,
      result: r.outcome ?? null,
      detail: r.details ?? null,
      query_id: r.query_id ?? null,
      trace_intercept_id: r.id ?? null,
      intercept_id: r.intercept_id ?? null,
    };
    return out;
  });
  const unevaluated = rows.filter((r) => !asOutcome(r.outcome));
  const errors = rows.map((r) => r.details).filter((d): d is string => typeof d === "string" && d.startsWith("verification_failed:"));
  let outcome: string;
  let why: string | null = null;
  if (!rows.length) {
    outcome = NOT_EVALUATED;
    why = "the recorder's database holds no trace_intercepts rows for this trace: no claim was recorded, so no evaluation is known";
  } else if (unevaluated.length) {
    outcome = NOT_EVALUATED;
    why = `outcome is NULL on ${unevaluated.length} of ${rows.length} trace_intercepts rows: the evaluator did not finish (it raised, or never ran)`;
  } else if (errors.length) outcome = "ERROR";
  else outcome = overallOutcome(rows.map((r) => r.outcome as string));
  record.evaluation = {
    outcome,
    per_claim: perClaim.filter((p) => !(typeof p.detail === "string" && p.detail.startsWith("verification_failed:"))),
    errors,
    ...(why ? { error: why } : {}),
  };
  return record;
}

/** One generation-B trace and its per-claim rows → one handoff wire record. */
export function traceToHandoff(trace: Row, claimRows: Row[], source: string): WireRecord {
  const rows = orderClaimRows(claimRows);
  if (!present(trace.payload) && (rows.length ? rows.every(isSourcerykitClaimRow) : !("outcome" in trace) && !("agent_id" in trace))) {
    return sourcerykitTraceToHandoff(trace, rows, source);
  }
  const stored = jsonOf(trace.payload);
  const payload: Row = isPlainObject(stored) ? { ...stored } : {};
  for (const k of ["run_id", "task", "reasoning", "handoff_contract_version"] as const) {
    if (!present(payload[k]) && present(trace[k])) payload[k] = trace[k];
  }
  const registry = jsonOf(trace.trusted_endpoint_registry);
  if (!present(payload.trusted_endpoint_registry) && Array.isArray(registry)) payload.trusted_endpoint_registry = registry;
  if (!Array.isArray(payload.claims) || payload.claims.length === 0) payload.claims = claimsFromRows(rows);
  if (!present(payload.query_record_ids)) {
    const ids = [...new Set(rows.map((r) => pick(r, "intercept_id", "query_record_id")).filter(present))];
    if (ids.length) payload.query_record_ids = ids;
  }
  if (!present(payload.handoff_contract_version) && rows.some((r) => present(r.call_ref))) payload.handoff_contract_version = "call_ref";

  const record: WireRecord = { type: "handoff", source, id: trace.id as string | number, created_at: trace.created_at, payload };
  if (present(trace.agent_id)) record.agent_id = trace.agent_id;
  const errors = jsonOf(trace.errors);
  const outcome = asOutcome(trace.outcome);
  if (outcome || rows.length) {
    const perClaim = rows.map(perClaimResult);
    record.evaluation = {
      outcome: outcome ?? overallOutcome(perClaim.map((p) => p.result as string | undefined)),
      per_claim: perClaim,
      errors: Array.isArray(errors) ? errors : present(errors) ? [errors] : [],
    };
  }
  return record;
}
