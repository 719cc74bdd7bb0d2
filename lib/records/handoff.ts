import { z } from "zod";
import { sourceField, sourceIdField, timestampField, unknownFields } from "./common";
import { jsonValue, type Json } from "./json";
import { dedupeKey } from "./intercept";

export const VERIFICATION_MODES = ["verbatim", "field_extraction", "schema_type", "range_threshold"] as const;

/** A claim of contract 2.0 (records.md §3). Unknown modes are kept: the evaluator reports them. */
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

/** The claims list: each claim is read by the generation its shape says (call_ref + claimed_values). */
const claimsField = z.array(z.record(z.string(), z.unknown())).transform((claims, ctx) =>
  claims.map((c, i) => {
    const schema = "claimed_values" in c || "call_ref" in c ? callRefClaimSchema : claimSchema;
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
  claims: claimsField.optional().default([]),
  trusted_endpoint_registry: z.array(z.string().max(16384)).nullable().optional(),
  query_record_ids: z.array(z.union([z.string(), z.number()])).nullable().optional(),
  handoff_contract_version: z.union([z.string(), z.number()]).nullable().optional(),
  integration_api_key: z.unknown().optional(),
});

export const evaluationSchema = z.looseObject({
  outcome: z.enum(["PASS", "CAUGHT", "ERROR"]),
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

export interface NormalizedHandoff {
  source: string;
  sourceId: string | null;
  dedupeKey: string;
  agentId: string;
  createdAt: string;
  ts: number;
  generation: "2.0" | "call_ref";
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
  const callRefGeneration = claims.some((c) => Array.isArray(c.claimed_values));
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
    generation: callRefGeneration ? "call_ref" : "2.0",
    runId: r.payload.run_id === null || r.payload.run_id === undefined ? null : String(r.payload.run_id),
    task: r.payload.task ?? null,
    claimCount,
    payload: JSON.stringify(rawPayload as Json),
    evaluation: evaluation ? JSON.stringify(evaluation) : null,
    evaluatorOutcome: r.evaluation?.outcome ?? null,
    extra: extra && Object.keys(extra).length ? JSON.stringify(extra) : null,
  };
  return { ...row, dedupeKey: dedupeKey(row.source, row.sourceId, row) };
}
