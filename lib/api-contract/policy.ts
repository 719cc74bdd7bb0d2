// GET /api/v1/policy-decisions: the query it takes and the document it answers, as Zod
// schemas (the route parses with them; the OpenAPI document is generated from them).
import { z } from "zod";
import { tsIdCursorParam } from "./cursor-param";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { parseDepth } from "../records/depth";
import { jsonValue } from "../records/json";

/** `edge=Email->ExternalParty` (source -> target), or `edge=none` for older-shape decisions. */
export type EdgeFilter = { source: string; target: string } | "none";
export const EDGE_SEPARATOR = "->";

export const formatEdgeFilter = (source: string, target: string) => `${source}${EDGE_SEPARATOR}${target}`;


/** The policy page's filters, exactly as they appear in its URL and in the API's query (the hook and the page share them). */
export interface PolicyFilter {
  agent_id?: string;
  action?: string;
  policy?: string;
  edge?: string;
  depth?: string;
}

export const POLICY_FILTER_KEYS = ["agent_id", "action", "policy", "edge", "depth"] as const;

export function policyFilterParams(f: PolicyFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const k of POLICY_FILTER_KEYS) if (f[k]) p.set(k, f[k] as string);
  return p;
}

export const policyDecisionsQuerySchema = z.object({
  agent_id: z.string().min(1).max(1000).optional().describe("Only this agent's decisions"),
  action: z.enum(["PASS", "BLOCK", "PENDING"]).optional().describe("Only decisions of tool calls the gate passed / blocked / left pending confirmation (older releases)"),
  policy: z.string().min(1).max(1000).optional().describe("Only this policy's invocations"),
  edge: z
    .string()
    .min(1)
    .max(2100)
    .optional()
    .describe('Only this triggering edge, as "Source->Target"; "none" for the older shape without edge identity')
    .transform((v, ctx): EdgeFilter | undefined => {
      if (v === undefined) return undefined;
      if (v.toLowerCase() === "none") return "none";
      const at = v.indexOf(EDGE_SEPARATOR);
      if (at <= 0 || at + EDGE_SEPARATOR.length >= v.length) {
        ctx.addIssue({ code: "custom", message: 'must be "Source->Target" (e.g. Email->ExternalParty) or "none"' });
        return z.NEVER;
      }
      return { source: v.slice(0, at), target: v.slice(at + EDGE_SEPARATOR.length) };
    }),
  depth: z
    .string()
    .max(64)
    .optional()
    .describe('Only edges touching this depth: 2, "CAPABILITIES" or "D2 CAPABILITIES"')
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const level = parseDepth(v);
      if (typeof level === "string") {
        ctx.addIssue({ code: "custom", message: level });
        return z.NEVER;
      }
      return level;
    }),
  call_key: z.string().regex(/^[0-9a-f]{32}$/, "must be a call key (32 hex digits)").optional().describe("Only this tool call (agent, tool, arguments)"),
  cursor: tsIdCursorParam(400),
  limit: z.coerce.number().int().min(1).max(1000).optional().default(200).describe("Decisions per page (≤ 1,000)"),
});
export type PolicyDecisionsQuery = z.output<typeof policyDecisionsQuerySchema>;

const toolCallSchema = z.object({ tool_name: z.string(), call_args: z.array(jsonValue), call_kwargs: z.record(z.string(), jsonValue) });

const gateOutcomeSchema = z.object({
  action: z.enum(["PASS", "BLOCK", "PENDING"]).describe("PENDING: the older gate's own result, confirmation needed (before the guard acted on it)"),
  reason: z.string().nullable(),
  confirmation: z.enum(["granted", "declined", "no_handler", "handler_raised"]).nullable(),
  confirmation_message: z.string().nullable().describe("The older gate's PENDING message"),
  violations: z
    .array(z.object({ policy: z.string(), requires_confirmation: z.boolean().nullable(), callback_result: z.object({ passed: z.boolean(), message: z.string().nullable() }).nullable() }))
    .nullable()
    .describe("The newer PolicyResult's violations (policy and callback result; no edge), as recorded"),
});

const edgeWireSchema = z.object({
  source_name: z.string(),
  target_name: z.string(),
  source_depth: z.number().int().nullable(),
  target_depth: z.number().int().nullable(),
  source_depth_label: z.string(),
  target_depth_label: z.string(),
});

const policyWireSchema = z.object({
  name: z.string(),
  requires_confirmation: z.boolean().nullable(),
  trigger_cardinality: z.enum(["single", "multiple"]).nullable(),
  callback: z.string().nullable(),
  confirmation_message: z.string().nullable(),
  metadata: z.record(z.string(), jsonValue),
});

export const policyDecisionSchema = z.object({
  id: z.string(),
  source: z.string(),
  source_id: z.string().nullable(),
  agent_id: z.string(),
  created_at: z.string(),
  shape: z.enum(["edge", "legacy"]).describe('"legacy": the older flat context without edge identity'),
  call_key: z.string(),
  tool_call: toolCallSchema.describe("Arguments with sensitive keys masked at ingest"),
  edge: edgeWireSchema.nullable().describe("The triggering edge the context names (composed shape); null for the older shape"),
  policy: policyWireSchema.nullable(),
  reconstructed: z
    .object({ edge: edgeWireSchema.nullable(), policy: policyWireSchema.nullable(), note: z.string().nullable() })
    .nullable()
    .describe("Older shape: the edge and policy recovered from the gate's walk of the grounding result (n-th invocation = n-th policy); null edge with a note when the record order or the cardinality leaves it open"),
  callback_result: z.object({
    returned: z.enum(["bool", "result", "raised"]).describe('"bool": the older callbacks\' true/false; "result": {passed, message}; "raised": the callback raised'),
    value: jsonValue.describe("What the callback returned, as recorded (true = the policy fires, for a bool)"),
    fires: z.boolean().nullable().describe("The policy fired (a violation); null when the callback raised"),
    passed: z.boolean().nullable(),
    message: z.string().nullable(),
    error: z.string().nullable().describe("What the callback raised"),
  }),
  fail_closed: z.boolean().describe('The callback could not be evaluated and failed closed ("firing conservatively.")'),
  decision: gateOutcomeSchema.nullable().describe("The gate's outcome for the tool call, as recorded with this invocation"),
  evaluation_id: z.string().describe("The gate evaluation (group) this invocation belongs to"),
});
export type PolicyDecisionWire = z.output<typeof policyDecisionSchema>;

export const gateEvaluationSchema = z.object({
  id: z.string().describe("Id of the evaluation's first decision"),
  call_key: z.string(),
  agent_id: z.string(),
  shape: z.enum(["edge", "legacy"]),
  tool_call: toolCallSchema,
  first_at: z.string(),
  last_at: z.string(),
  outcome: gateOutcomeSchema.nullable().describe("PASS/BLOCK, reason, confirmation; null when the gate did not record it"),
  failed_callbacks: z.number().int().describe("Invocations that fired their policy"),
  raised_callbacks: z.number().int().describe("Invocations whose callback raised (older releases: the exception escaped the guard)"),
  blocked: z.boolean().describe("The gate blocked this tool call: counted once in blocks, however many callbacks fired"),
  fail_closed: z.boolean(),
  invocations: z.array(policyDecisionSchema).describe("Every invocation of the evaluation, also those outside the filters"),
  diagnostics: z.array(z.object({ code: z.literal("indistinguishable_invocations"), count: z.number().int(), decision_ids: z.array(z.string()), message: z.string() })),
});
export type GateEvaluationWire = z.output<typeof gateEvaluationSchema>;

export const policySummarySchema = z.object({
  policy: z.string().nullable().describe("null: older-shape invocations, which name no policy"),
  invocations: z.number().int(),
  fired: z.number().int().describe("Invocations whose callback fired the policy (passed: false, or true from an older bool callback)"),
  fire_rate: z.number().nullable(),
  blocks: z.number().int().describe("Tool calls the gate blocked on which this policy fired"),
  fail_closed: z.number().int(),
  last_fired: z.string().nullable(),
});
export type PolicySummaryWire = z.output<typeof policySummarySchema>;

export const policyDecisionsResponseSchema = z.object({
  decisions: z.array(policyDecisionSchema).describe("Matching decisions, newest first"),
  groups: z.array(gateEvaluationSchema).describe("The gate evaluations of those decisions, newest first"),
  policies: z.array(policySummarySchema).describe("Per policy, over every decision matching the filters except action"),
  blocked_calls: z.number().int().describe("Tool calls the gate blocked, over the decisions matching the filters except action"),
  next_cursor: z.string().nullable(),
});
export type PolicyDecisionsResponse = z.output<typeof policyDecisionsResponseSchema>;

/** The values the policy page's filters offer (the page hands them to its filter bar). */
export const policyFacetsSchema = z.object({
  agents: z.array(z.string()),
  policies: z.array(z.string()),
  edges: z.array(z.object({ source: z.string(), target: z.string() })),
  hasOlderShape: z.boolean().describe("Some decisions have the older shape, without edge identity"),
});
export type PolicyFacets = z.output<typeof policyFacetsSchema>;

export const POLICY_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/policy-decisions",
    summary: "Policy decisions with their triggering edge (null for the older shape), grouped into gate evaluations, and a per-policy summary",
    auth: "read",
    query: policyDecisionsQuerySchema,
    responses: {
      "200": { description: "Decisions, gate evaluations and per-policy figures", schema: policyDecisionsResponseSchema },
      "400": { description: "A query parameter is not valid", schema: errorEnvelopeSchema },
      "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema },
    },
  },
];
