import { z } from "zod";
import { sourceField, sourceIdField, timestampField, unknownFields } from "./common";
import { jsonValue, sha256Hex, canonicalJson, type Json } from "./json";
import { parseDepth } from "./depth";
import { dedupeKey } from "./intercept";

const depthField = z.union([z.number(), z.string().max(64)]).transform((v, ctx) => {
  const r = parseDepth(v);
  if (typeof r === "string") {
    ctx.addIssue({ code: "custom", message: r });
    return z.NEVER;
  }
  return r;
});

const toolCall = {
  tool_name: z.string().min(1).max(1000),
  call_args: z.array(jsonValue).optional().default([]),
  call_kwargs: z.record(z.string(), jsonValue).optional().default({}),
};

/** The composed context: one per triggering edge. */
export const edgeContextSchema = z.looseObject({
  tool_call: z.looseObject(toolCall),
  grounding: z
    .looseObject({ agent_id: z.string().max(1000).nullable().optional(), resolved_concepts: z.array(z.string()).optional() })
    .nullable()
    .optional(),
  triggering_edge: z.looseObject({
    source_name: z.string().max(1000),
    target_name: z.string().max(1000),
    source_depth: depthField,
    target_depth: depthField,
  }),
  policy: z.looseObject({
    name: z.string().min(1).max(1000),
    requires_confirmation: z.boolean().optional(),
    trigger_cardinality: z.enum(["single", "multiple"]).nullable().optional(),
    callback: z.string().max(1000).nullable().optional(),
    confirmation_message: z.string().optional(),
    metadata: z.record(z.string(), jsonValue).optional(),
  }),
});

/** The older flat context: no edge identity, reused for every edge of one tool call. */
export const legacyContextSchema = z.looseObject({ ...toolCall, grounding: jsonValue.optional() });

type EdgeContext = z.output<typeof edgeContextSchema>;
type LegacyContext = z.output<typeof legacyContextSchema>;
export type PolicyContext = ({ shape: "edge" } & EdgeContext) | ({ shape: "legacy" } & LegacyContext);

/** Either shape; chosen by whether `tool_call` is present, so errors name the right fields. */
const contextField = z.record(z.string(), z.unknown()).transform((c, ctx): PolicyContext => {
  const edge = "tool_call" in c;
  const r = (edge ? edgeContextSchema : legacyContextSchema).safeParse(c);
  if (!r.success) {
    for (const issue of r.error.issues) ctx.addIssue({ code: "custom", message: issue.message, path: issue.path as PropertyKey[] });
    return z.NEVER;
  }
  return { shape: edge ? "edge" : "legacy", ...r.data } as PolicyContext;
});

/** The policy as the gate serializes it (`Policy.model_dump()`), inside a newer PolicyResult's violations. */
const violationPolicy = z.looseObject({
  name: z.string().max(1000),
  requires_confirmation: z.boolean().optional(),
  trigger_cardinality: z.enum(["single", "multiple"]).nullable().optional(),
  callback: z.string().max(1000).nullable().optional(),
  confirmation_message: z.string().nullable().optional(),
  metadata: z.record(z.string(), jsonValue).optional(),
});

/**
 * The gate's outcome, in any of the forms the releases write: §2's `{action, reason,
 * confirmation}`; the older releases' `PolicyResult.model_dump()` `{action: PASS | PENDING |
 * BLOCK, reason, confirmation_message}`; the newer `PolicyResult.model_dump()` `{action,
 * reason, violations: [{policy, callback_result}]}`.
 */
export const decisionSchema = z.looseObject({
  action: z.enum(["PASS", "BLOCK", "PENDING"]),
  reason: z.string().nullable().optional(),
  confirmation: z.enum(["granted", "declined", "no_handler"]).nullable().optional(),
  confirmation_message: z.string().nullable().optional(),
  violations: z
    .array(z.looseObject({ policy: violationPolicy, callback_result: z.looseObject({ passed: z.boolean(), message: z.string().nullable().optional() }).nullable().optional() }))
    .max(10_000)
    .optional(),
});

/**
 * What the callback returned: the older releases' bool (`true` = the policy fires, a
 * violation), or `{passed, message}` (passed: false = the policy fires). Absent or null
 * when the callback raised (`callback_error` says what it raised, when the recorder kept it).
 */
const callbackResultField = z
  .union([z.boolean(), z.looseObject({ passed: z.boolean(), message: z.string().nullable().optional() })])
  .nullable()
  .optional();

export const policyDecisionRecordSchema = z
  .looseObject({
    type: z.literal("policy_decision"),
    id: sourceIdField,
    source: sourceField,
    created_at: timestampField,
    agent_id: z.string().min(1).max(1000).nullable().optional(),
    context: contextField,
    callback_result: callbackResultField,
    callback_error: z.string().max(100_000).nullable().optional(),
    decision: decisionSchema.nullable().optional(),
  })
  .superRefine((r, ctx) => {
    const hasResult = r.callback_result !== undefined && r.callback_result !== null;
    const hasError = typeof r.callback_error === "string";
    if (!hasResult && !hasError) {
      ctx.addIssue({
        code: "custom",
        path: ["callback_result"],
        message: "required: the callback's return value (true/false as the gate's callbacks return it, or {passed, message}), or callback_error when the callback raised",
      });
    }
    if (hasResult && hasError) ctx.addIssue({ code: "custom", path: ["callback_error"], message: "a callback that returned a result did not raise: give callback_result or callback_error, not both" });
  });
export type PolicyDecisionRecord = z.output<typeof policyDecisionRecordSchema>;

const KNOWN = ["type", "id", "source", "created_at", "agent_id", "context", "callback_result", "callback_error", "decision"];
export const FAIL_CLOSED_SUFFIX = "firing conservatively.";

export interface NormalizedPolicyDecision {
  source: string;
  sourceId: string | null;
  dedupeKey: string;
  agentId: string;
  createdAt: string;
  ts: number;
  shape: "edge" | "legacy";
  toolName: string;
  callKey: string;
  edgeSource: string | null;
  edgeTarget: string | null;
  sourceDepth: number | null;
  targetDepth: number | null;
  policyName: string | null;
  /** false: the policy fires (a violation); null: the callback raised, no result */
  passed: boolean | null;
  message: string | null;
  failClosed: boolean;
  /** What the callback raised (older releases let it escape the guard), or null. */
  callbackError: string | null;
  action: string | null;
  reason: string | null;
  confirmation: string | null;
  context: string;
  callbackResult: string;
  decision: string | null;
  extra: string | null;
}

export function normalizePolicyDecision(r: PolicyDecisionRecord): NormalizedPolicyDecision {
  const { shape, ...rawContext } = r.context;
  const context = rawContext as Record<string, Json>;
  const call = (shape === "edge" ? context.tool_call : context) as Record<string, Json>;
  const edge = shape === "edge" ? (r.context as { shape: "edge" } & EdgeContext) : null;
  const groundingAgent = edge?.grounding?.agent_id ?? null;
  const agentId = r.agent_id ?? groundingAgent ?? "unknown";
  const toolName = String(call.tool_name);
  const result = r.callback_result ?? null;
  // The older releases' callbacks return a bool where true means the policy fires.
  const passed = result === null ? null : typeof result === "boolean" ? !result : result.passed;
  const message = result !== null && typeof result === "object" ? (result.message ?? null) : null;
  const extra = unknownFields(r, KNOWN);
  const row: Omit<NormalizedPolicyDecision, "dedupeKey"> = {
    source: r.source,
    sourceId: r.id,
    agentId,
    createdAt: r.created_at.iso,
    ts: r.created_at.us,
    shape,
    toolName,
    callKey: sha256Hex(canonicalJson([agentId, toolName, call.call_args ?? [], call.call_kwargs ?? {}])).slice(0, 32),
    edgeSource: edge?.triggering_edge.source_name ?? null,
    edgeTarget: edge?.triggering_edge.target_name ?? null,
    sourceDepth: edge?.triggering_edge.source_depth ?? null,
    targetDepth: edge?.triggering_edge.target_depth ?? null,
    policyName: edge?.policy.name ?? null,
    passed,
    message,
    failClosed: passed === false && (message ?? "").trimEnd().endsWith(FAIL_CLOSED_SUFFIX),
    callbackError: result === null ? (r.callback_error ?? "") : null,
    action: r.decision?.action ?? null,
    reason: r.decision?.reason ?? null,
    confirmation: r.decision?.confirmation ?? null,
    context: JSON.stringify(context),
    callbackResult: JSON.stringify(result),
    decision: r.decision ? JSON.stringify(r.decision) : null,
    extra: extra ? JSON.stringify(extra) : null,
  };
  return { ...row, dedupeKey: dedupeKey(row.source, row.sourceId, row) };
}
