// GET /api/v1/intercepts/{id}: one intercept with what Verdict concluded about it, as a Zod
// schema (the OpenAPI document and the API's type come from it).
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { jsonValue } from "../records/json";

/** lib/analysis/response-hash.ts's ResponseHashCheck: the recorded response_hash against the stored body. */
const responseHashCheckSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("match"), variant: z.string(), stored: z.string() }),
  z.object({ status: z.literal("mismatch"), stored: z.string(), computed: z.array(z.object({ variant: z.string(), hash: z.string() })), message: z.string() }),
  z.object({ status: z.literal("no_hash"), message: z.string() }),
  z.object({ status: z.literal("no_response"), message: z.string() }),
  z.object({ status: z.literal("unreadable"), stored: z.string(), message: z.string() }),
  z.object({
    status: z.literal("secrets_removed").describe("Verdict removed secrets from the response before storing it"),
    stored: z.string(),
    at_ingest: z.string().describe("The check of the response as it arrived"),
    variant: z.string().optional(),
    removed: z.array(z.string()),
    message: z.string(),
  }),
]);

export const callRefSchema = z.object({ id: z.string(), kind: z.string(), method: z.string(), host: z.string(), path: z.string(), action_name: z.string(), at: z.string() });
export const interceptDetailSchema = z.object({
  id: z.string(),
  source: z.string(),
  source_id: z.string().nullable(),
  generation: z.string(),
  agent_id: z.string(),
  action_name: z.string(),
  kind: z.string(),
  source_url: z.string(),
  method: z.string(),
  host: z.string(),
  path: z.string(),
  request_payload: jsonValue.describe("The JSON value, or the text when it is not JSON"),
  raw_response: jsonValue.nullable(),
  response_hash: z.string().nullable(),
  created_at: z.string(),
  call_ref: z.string().nullable(),
  run_id: z.string().nullable(),
  intercept_index: z.number().int().nullable(),
  extra: jsonValue.nullable(),
  classification: z.object({ kind: z.string(), llm_provider: z.string().nullable(), tag_status: z.enum(["tagged", "untagged", "leaked"]), explanation: z.string() }),
  response_hash_check: responseHashCheckSchema,
  leak: z.object({ reason: z.string(), tool_intercept_id: z.string(), tool_call: callRefSchema.nullable() }).nullable(),
  leaked_into: z.array(callRefSchema),
  findings: z.array(z.string()),
});

export type CallRef = z.infer<typeof callRefSchema>;
export type InterceptDetail = z.infer<typeof interceptDetailSchema>;

export const INTERCEPT_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/intercepts/{id}",
    summary: "One intercept: the whole record, its classification, response-hash check and leak analysis",
    auth: "read",
    responses: {
      "200": { description: "The intercept", schema: interceptDetailSchema },
      "404": { description: "No such intercept", schema: errorEnvelopeSchema },
      "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema },
    },
  },
];
