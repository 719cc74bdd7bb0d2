import { z } from "zod";
import { sourceField, sourceIdField, timestampField, unknownFields } from "./common";
import { jsonValue, type Json } from "./json";
import { dedupeKey } from "./intercept";

export const VERIFICATION_MODES = ["verbatim", "field_extraction", "schema_type", "range_threshold"] as const;

/** A claim of contract 2.0 (docs/records.md, Handoffs). Unknown modes are kept: the evaluator reports them. */
export const claimSchema = z.looseObject({
  action_name: z.string().max(1000).nullable().optional(),
  claimed_value: jsonValue.optional(),
  request_payload: z.looseObject({ url: z.string().max(16384).optional() }).nullable().optional(),
  response_payload: jsonValue.optional(),
  query_record_id: z.union([z.string().max(512), z.number()]).nullable().optional(),
  verification_mode: z.string().max(100).nullable().optional(),
  json_path: z.string().max(4096).nullable().optional(),
  expected_json_schema: jsonValue.optional(),
  range_min: z.number().nullable().optional(),
  range_max: z.number().nullable().optional(),
});

/** The later generation: claims grouped by call_ref, values compared as stripped strings. */
export const claimedValueSchema = z.looseObject({
  path: z.string().max(4096),
  value: z.string(),
  sourcerykit_ref: jsonValue.optional(),
});
export const callRefClaimSchema = z.looseObject({
  call_ref: z.string().min(1).max(256),
  claimed_values: z.array(claimedValueSchema),
  verification_mode: z.string().max(100).nullable().optional(),
  action_name: z.string().max(1000).nullable().optional(),
  range_min: z.number().nullable().optional(),
  range_max: z.number().nullable().optional(),
});

/**
 * A claim as sourcerykit 1.0.1 writes it (`HandoffClaim.model_dump()`, generation B):
 * `claimed_value` is a list of {path, value, sourcerykit_ref}, `call_ref` names the scoped
 * tool call, `query_id` / `trace_intercept_id` are UUIDs, `json_path` is "" or "$...".
 * `intercept_id` is Verdict's own: the importer sets it to trace_intercepts.intercept_id.
 */
export const sourcerykitClaimSchema = z.looseObject({
  trace_intercept_id: z.string().max(256).nullable().optional(),
  action_name: z.string().max(1000).nullable().optional(),
  call_ref: z.string().max(256).nullable().optional(),
  claimed_value: jsonValue.optional(),
  request_payload: z.looseObject({ url: z.string().max(16384).optional() }).nullable().optional(),
  response_payload: jsonValue.optional(),
  query_id: z.string().max(256).nullable().optional(),
  verification_mode: z.string().max(100).nullable().optional(),
  json_path: z.string().max(4096).nullable().optional(),
  expected_json_schema: jsonValue.optional(),
  range_min: z.number().nullable().optional(),
  range_max: z.number().nullable().optional(),
  intercept_id: z.string().max(512).nullable().optional(),
});

/** Which generation one claim's shape says it is (docs/records.md, Handoffs). */
export function claimShape(c: Record<string, unknown>): "2.0" | "call_ref" | "B" {
  if ("claimed_values" in c) return "call_ref";
  if ("trace_intercept_id" in c || "query_id" in c) return "B";
  // A call_ref with a {path, value} list and no contract-2.0 row id: 1.0.1's claim, trimmed.
  const entries = Array.isArray(c.claimed_value) && c.claimed_value.every((v) => v !== null && typeof v === "object" && "path" in v && "value" in v);
  if ("call_ref" in c && !("query_record_id" in c) && entries) return "B";
  return "2.0";
}

/** The claims list: each claim is read by the generation its shape says. */
const claimsField = z.array(z.record(z.string(), z.unknown())).transform((claims, ctx) =>
  claims.map((c, i) => {
    const shape = claimShape(c);
    const schema = shape === "call_ref" ? callRefClaimSchema : shape === "B" ? sourcerykitClaimSchema : claimSchema;
    const r = schema.safeParse(c);
    if (!r.success) {
      for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: [i, ...(issue.path as PropertyKey[])] });
      return c;
    }
    return r.data;
  }),
);

export const handoffPayloadSchema = z.looseObject({
  run_id: z.union([z.string().max(1000), z.number()]).nullable().optional(),
  task: z.string().nullable().optional(),
  reasoning: z.string().nullable().optional(),
  /** generation B after 1.0.1 (sourcerykit main): `answer` replaces `reasoning` */
  answer: z.string().nullable().optional(),
  build_errors: z.array(jsonValue).nullable().optional(),
  contract_version: z.union([z.string(), z.number()]).nullable().optional(),
  query_ids: z.array(z.union([z.string(), z.number()])).nullable().optional(),
  claims: claimsField.optional().default([]),
  trusted_endpoint_registry: z.array(z.string().max(16384)).nullable().optional(),
  query_record_ids: z.array(z.union([z.string(), z.number()])).nullable().optional(),
  handoff_contract_version: z.union([z.string(), z.number()]).nullable().optional(),
  integration_api_key: z.unknown().optional(),
});

/** An evaluation that never finished (outcome NULL: the evaluator raised, or never ran). */
export const NOT_EVALUATED = "NOT_EVALUATED";
export const EVALUATOR_OUTCOMES = ["PASS", "CAUGHT", "ERROR", NOT_EVALUATED] as const;
/** The evaluator's outcome: its three, or NOT_EVALUATED when it never finished (outcome NULL). */
export type EvaluatorOutcome = (typeof EVALUATOR_OUTCOMES)[number];

export const evaluationSchema = z.looseObject({
  // null or absent: the evaluator did not finish; its outcome is NOT_EVALUATED, never PASS.
  outcome: z.enum(EVALUATOR_OUTCOMES).nullable().optional(),
  per_claim: z.array(jsonValue).optional().default([]),
  errors: z.array(jsonValue).optional().default([]),
});

export const handoffRecordSchema = z.looseObject({
  type: z.literal("handoff"),
  id: sourceIdField,
  source: sourceField,
  created_at: timestampField,
  agent_id: z.string().min(1).max(1000).optional().default("fetch_and_claim"),
  payload: handoffPayloadSchema,
  evaluation: evaluationSchema.nullable().optional(),
});
export type HandoffRecord = z.output<typeof handoffRecordSchema>;
export type HandoffPayload = z.output<typeof handoffPayloadSchema>;

const KNOWN = Object.keys(handoffRecordSchema.shape);

/**
 * "2.0": contract 2.0 claims (provably-sdk 0.2.0 = generation A writes this shape);
 * "B": sourcerykit 1.0.1 (`contract_version`, claims with call_ref and claimed_value lists);
 * "call_ref": the earlier call_ref-grouped shape with `claimed_values`.
 */
export type HandoffGeneration = "2.0" | "call_ref" | "B";

/** The generation of a whole payload: the first claim shape that is not 2.0, else the payload's own keys. */
export function payloadGeneration(payload: Record<string, unknown>): HandoffGeneration {
  const claims = Array.isArray(payload.claims) ? (payload.claims as unknown[]) : [];
  for (const c of claims) {
    if (c && typeof c === "object" && !Array.isArray(c)) {
      const shape = claimShape(c as Record<string, unknown>);
      if (shape !== "2.0") return shape;
    }
  }
  if (!("handoff_contract_version" in payload) && ("contract_version" in payload || "query_ids" in payload || "build_errors" in payload)) return "B";
  return "2.0";
}

export interface NormalizedHandoff {
  source: string;
  sourceId: string | null;
  dedupeKey: string;
  agentId: string;
  createdAt: string;
  ts: number;
  generation: HandoffGeneration;
  runId: string | null;
  task: string | null;
  claimCount: number;
  payload: string;
  evaluation: string | null;
  evaluatorOutcome: string | null;
  extra: string | null;
}

export function normalizeHandoff(r: HandoffRecord, rawPayload: unknown): NormalizedHandoff {
  // Store the payload as sent (key order, unknown fields); secrets were scrubbed before (scrub.ts).
  const claims = r.payload.claims as Record<string, unknown>[];
  const generation = payloadGeneration(r.payload as Record<string, unknown>);
  const callRefGeneration = generation === "call_ref";
  const claimCount = callRefGeneration
    ? claims.reduce((n, c) => n + (Array.isArray(c.claimed_values) ? c.claimed_values.length : 1), 0)
    : claims.length;
  const extraFields = unknownFields(r, KNOWN);
  const extra = extraFields;
  const evaluation = r.evaluation ?? null;
  const row: Omit<NormalizedHandoff, "dedupeKey"> = {
    source: r.source,
    sourceId: r.id,
    agentId: r.agent_id,
    createdAt: r.created_at.iso,
    ts: r.created_at.us,
    generation,
    runId: r.payload.run_id === null || r.payload.run_id === undefined ? null : String(r.payload.run_id),
    task: r.payload.task ?? null,
    claimCount,
    payload: JSON.stringify(rawPayload as Json),
    evaluation: evaluation ? JSON.stringify(evaluation) : null,
    evaluatorOutcome: r.evaluation ? (r.evaluation.outcome ?? NOT_EVALUATED) : null,
    extra: extra && Object.keys(extra).length ? JSON.stringify(extra) : null,
  };
  return { ...row, dedupeKey: dedupeKey(row.source, row.sourceId, row) };
}
