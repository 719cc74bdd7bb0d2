// GET /api/v1/handoffs and /api/v1/handoffs/{id}: the query they take and the documents they
// answer, as Zod schemas (the routes parse with them; the OpenAPI document is built from them).
import { z } from "zod";
import { tsIdCursorParam } from "./cursor-param";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { jsonValue } from "../records/json";
import { CAUSE_CODES } from "../analysis/causes";
import { EVALUATOR_OUTCOMES } from "../records/handoff";
import { HANDOFF_CATEGORIES } from "../analysis/cause-category";
import { isCalendarDay } from "../records/calendar-day";
import { REVIEW_STATES } from "../records/review";
import { reviewSchema } from "./reviews";

const outcome = z.enum(["PASS", "CAUGHT", "ERROR"]);
/** The evaluator's outcome, or NOT_EVALUATED: an evaluation was recorded but never finished (outcome NULL, the evaluator raised). */
const evaluatorOutcome = z.enum(EVALUATOR_OUTCOMES);

export const handoffsQuerySchema = z.object({
  outcome: evaluatorOutcome
    .optional()
    .describe("Only handoffs with this outcome (the evaluator's, or Verdict's when none was sent). NOT_EVALUATED: the evaluator never finished (outcome NULL, or it raised)"),
  agent_id: z.string().min(1).max(1000).optional().describe("Only this agent's handoffs"),
  category: z.enum([...HANDOFF_CATEGORIES, "none"]).optional().describe("Only handoffs whose primary cause is of this category: agent (the claim is wrong), instrumentation (the recorder or its setup), configuration (an untrusted endpoint alone), not_evaluated (the evaluator never finished); none: no cause found"),
  cause: z.enum(CAUSE_CODES).optional().describe("Only handoffs with this primary cause"),
  review: z.enum([...REVIEW_STATES, "unreviewed"]).optional().describe("Only handoffs whose newest review has this state; unreviewed: never reviewed"),
  day: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a day as YYYY-MM-DD").refine(isCalendarDay, "not a calendar day").optional().describe("Only handoffs made on this UTC day (YYYY-MM-DD)"),
  agreement: z.enum(["differs"]).optional().describe("differs: only handoffs where Verdict's recomputed outcome and the evaluator's disagree"),
  limit: z.coerce.number().int().min(1).max(500).optional().default(100).describe("Page size (≤ 500)"),
  cursor: tsIdCursorParam(2000),
});

export const handoffSummarySchema = z.object({
  id: z.string(),
  source: z.string(),
  source_id: z.string().nullable(),
  agent_id: z.string(),
  created_at: z.string(),
  generation: z.string().describe('"2.0" (contract 2.0 claims, as provably-sdk 0.2.0 writes them), "B" (sourcerykit 1.0.1: call_ref claims with claimed_value lists) or "call_ref" (the earlier claimed_values shape)'),
  run_id: z.string().nullable(),
  task: z.string().nullable(),
  claim_count: z.number().int(),
  outcome: evaluatorOutcome.nullable().describe("The evaluator's outcome when one was sent (NOT_EVALUATED included, never shown as PASS), else Verdict's"),
  evaluator_outcome: evaluatorOutcome.nullable().describe("null: no evaluation was sent; NOT_EVALUATED: one was recorded without an outcome"),
  verdict_outcome: outcome.nullable().describe("Verdict's own recomputed outcome"),
  disagrees: z.boolean().describe("Verdict's recomputed outcome differs from the evaluator's"),
  primary_cause: z.enum(CAUSE_CODES).nullable().describe("The most telling cause Verdict found (an untrusted endpoint only when it stands alone); null: none"),
  cause_category: z.enum(HANDOFF_CATEGORIES).nullable().describe("agent, instrumentation, configuration (the primary cause's) or not_evaluated; null: no cause found"),
  review_state: z.enum(REVIEW_STATES).nullable().describe("The newest review's state; null: not reviewed"),
});

const countsSchema = z.record(z.string(), z.number().int());
/** The facets of the list: how many handoffs each filter value would show, the other filters applied. */
export const handoffCountsSchema = z.object({
  total: z.number().int().describe("Handoffs matching every filter (all pages)"),
  outcomes: countsSchema.describe("Per shown outcome, the other filters applied"),
  categories: countsSchema.describe('Per category ("none": no cause found), the other filters applied'),
  causes: countsSchema.describe('Per primary cause ("none": no cause found), the other filters applied'),
  reviews: countsSchema.describe('Per review state ("unreviewed"), the other filters applied'),
});
export const handoffListSchema = z.object({
  handoffs: z.array(handoffSummarySchema),
  next_cursor: z.string().nullable().describe("Pass as cursor for the next (older) page; null on the last page"),
  counts: handoffCountsSchema,
});

const trustGateSchema = z.object({
  rule: z.enum(["exact", "prefix"]).optional().describe("exact (generation A, with {placeholders}) or prefix (generation B: URL LIKE entry%)"),
  checked: z.boolean(),
  passed: z.boolean(),
  snapshot: z.array(z.string()),
  missing: z.array(z.string()),
  untrusted: z.array(z.string()),
  errors: z.array(z.string()),
});

const causeSchema = z.object({
  code: z.enum(CAUSE_CODES),
  ids: z.array(z.string()).describe("Verdict ids of the records that show it"),
  explanation: z.string(),
  tool_intercept_id: z.string().nullable().optional().describe("The tool call the claim should have rested on"),
});

/** An intercept as the handoff detail shows it. */
export const interceptRefSchema = z.object({
  id: z.string(),
  source: z.string(),
  source_id: z.string().nullable(),
  agent_id: z.string(),
  action_name: z.string(),
  kind: z.string(),
  llm_provider: z.string().nullable(),
  source_url: z.string(),
  method: z.string(),
  created_at: z.string(),
  call_ref: z.string().nullable(),
  is_leak: z.boolean(),
  leak_tool_intercept_id: z.string().nullable(),
  raw_response: jsonValue.nullable(),
});

const claimAnalysisSchema = z.object({
  index: z.number().int(),
  generation: z.enum(["2.0", "call_ref", "B"]),
  action_name: z.string().nullable(),
  verification_mode: z.string(),
  url: z.string().nullable(),
  claimed_value: jsonValue.nullable(),
  json_path: z.string().nullable(),
  expected_json_schema: jsonValue.nullable(),
  range_min: z.number().nullable(),
  range_max: z.number().nullable(),
  query_record_id: z.string().nullable(),
  call_ref: z.string().nullable(),
  resolution: z.object({
    intercept_id: z.string().nullable().describe("The recorded intercept the claim was checked against"),
    resolved_by: z.enum(["query_record_id", "intercept_id", "call_ref", "loader"]).nullable(),
    by_intercept_id: z.string().nullable().describe("Imported generation B: the row trace_intercepts.intercept_id names (the row the evaluator compared)"),
    by_query_record_id: z.string().nullable(),
    by_call_ref: z.string().nullable(),
    by_loader: z.string().nullable().describe("Newest row for (agent_id, action_name) at or before the handoff"),
    tool_call_id: z.string().nullable().describe("Generation A: newest tool call with the claim's tag at or before the handoff; B: the tool call carrying the claim's call_ref"),
    call_ref_rows: z.array(z.string()).describe("Every row carrying the claim's call_ref, first inserted first; more than one means the call_ref is shared"),
    disagreements: z.array(z.string()),
  }),
  entries: z
    .array(z.object({ path: z.string(), value: jsonValue, sourcerykit_ref: z.string().nullable(), recorded: jsonValue.nullable(), found: z.boolean(), equal: z.boolean() }))
    .nullable()
    .describe("Generation B: each claimed {path, value} against the row the claim was checked against"),
  value_at_path: z.object({ found: z.boolean(), value: jsonValue.nullable(), reason: z.string().nullable() }),
  diff: z.array(z.object({ op: z.enum(["added", "removed", "changed"]), path: z.string(), recorded: jsonValue.optional(), claimed: jsonValue.optional() })),
  trust_gate: z.object({
    url: z.string().nullable(),
    passed: z.boolean(),
    checked_by: z.enum(["evaluator", "verdict"]).nullable().describe('"evaluator": the claim carries a URL the evaluator gates; "verdict": only Verdict\'s own check of the row\'s URL'),
  }),
  result: outcome,
  detail: z.string().nullable(),
  against_tool_call: z.object({ intercept_id: z.string(), result: outcome, detail: z.string().nullable() }).nullable(),
  causes: z.array(causeSchema),
});

export const handoffDetailSchema = handoffSummarySchema.extend({
  reasoning: z.string().nullable(),
  payload: jsonValue.describe("The stored payload; secrets (integration_api_key and others, docs/security.md) replaced by a marker"),
  evaluation: jsonValue.nullable().describe("The evaluator's result, when one was sent"),
  analysis: z.object({
    outcome,
    rules: z.enum(["A", "B"]).describe("Whose outcome rules apply: A (provably-sdk 0.2.0 / contract 2.0) or B (sourcerykit 1.0.1); see docs/records.md"),
    trust_gate: trustGateSchema.describe("The evaluator's trust gate, recomputed over the URLs claims carry"),
    verdict_trust_check: trustGateSchema.nullable().describe("Verdict's own check, not the evaluator's: the URLs of the rows claims without a URL rest on; never changes the outcome"),
    errors: z.array(z.string()).describe("Evaluator-level errors counted under rules B (the payload's build_errors)"),
    claims: z.array(claimAnalysisSchema),
    causes: z.array(causeSchema),
  }),
  intercepts: z.record(z.string(), interceptRefSchema).describe("The intercepts the analysis refers to, by Verdict id"),
  reviews: z.array(reviewSchema).describe("The review history, oldest first (append-only)"),
});

export type HandoffSummary = z.infer<typeof handoffSummarySchema>;
export type HandoffCounts = z.infer<typeof handoffCountsSchema>;
export type HandoffList = z.infer<typeof handoffListSchema>;
export type InterceptRef = z.infer<typeof interceptRefSchema>;
export type HandoffDetail = z.infer<typeof handoffDetailSchema>;

export const HANDOFF_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/handoffs",
    summary: "Handoff evaluations, newest first, with the evaluator's and Verdict's outcomes",
    auth: "read",
    query: handoffsQuerySchema,
    responses: {
      "200": { description: "A page of handoffs", schema: handoffListSchema },
      "400": { description: "A query parameter is not valid", schema: errorEnvelopeSchema },
      "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/handoffs/{id}",
    summary: "One handoff: payload, the evaluator's result, and Verdict's analysis per claim with causes",
    auth: "read",
    responses: {
      "200": { description: "The handoff and its analysis", schema: handoffDetailSchema },
      "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema },
      "404": { description: "No handoff with that id", schema: errorEnvelopeSchema },
    },
  },
];
