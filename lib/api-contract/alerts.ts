// /api/v1/alert-rules: the bodies it takes and the documents it answers, as Zod schemas (the
// routes parse with them; the OpenAPI document is generated from them).
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { ALERT_EVENT_KINDS } from "../db/queries/alerts";
import { CAUSE_CATEGORIES } from "../analysis/cause-category";
import { destinationProblem } from "../alerts/destination";

const text = (max: number) => z.string().trim().min(1).max(max);

export const createAlertRuleSchema = z.strictObject({
  name: text(200).describe("What the rule is for, as people will see it in messages"),
  events: z.array(z.enum(ALERT_EVENT_KINDS)).min(1).max(ALERT_EVENT_KINDS.length)
    .refine((e) => new Set(e).size === e.length, "lists an event more than once")
    .describe("leak: a new LLM call carrying a tool's tag; caught: a handoff Verdict finds CAUGHT; block: a tool call the policy gate blocked; disagreement: the evaluator's outcome differs from Verdict's"),
  category: z.enum(CAUSE_CATEGORIES).optional().describe("Only CAUGHT verdicts of this category (other events are not filtered by it)"),
  agent_id: text(1000).optional().describe("Only this agent"),
  source: text(1000).optional().describe("Only records of this source"),
  destination: z.strictObject({
    type: z.enum(["webhook", "slack"]),
    // Checked when the request is parsed, so VERDICT_WEBHOOKS_ALLOW_HTTP applies as set now.
    url: z.string().max(2000).superRefine((u, ctx) => {
      const problem = destinationProblem(u);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  }),
}).refine((r) => r.category === undefined || r.events.includes("caught"), { message: "category filters CAUGHT verdicts: add \"caught\" to events", path: ["category"] });
export type CreateAlertRuleInput = z.input<typeof createAlertRuleSchema>;

export const alertRuleSchema = z.object({
  id: z.string(),
  name: z.string(),
  events: z.array(z.enum(ALERT_EVENT_KINDS)),
  category: z.enum(CAUSE_CATEGORIES).nullable(),
  agent_id: z.string().nullable(),
  source: z.string().nullable(),
  destination: z.object({ type: z.enum(["webhook", "slack"]), url: z.string().describe("Shown shortened: a Slack URL is itself a credential, a query string may hold one") }),
  created_at: z.string(),
  status: z.enum(["ok", "failing", "untested"]).describe("failing: the last 3 or more attempts failed"),
  consecutive_failures: z.number().int(),
  last_attempt_at: z.string().nullable(),
  last_response_code: z.number().int().nullable(),
  pending_messages: z.number().int(),
});
export type AlertRuleView = z.infer<typeof alertRuleSchema>;

export const createdAlertRuleSchema = alertRuleSchema.extend({
  secret: z.string().describe("Signs webhook bodies (Verdict-Signature). Shown only in this answer: store it now."),
});
export const alertRuleListSchema = z.object({ alert_rules: z.array(alertRuleSchema) });

export const deliverySchema = z.object({
  id: z.string(),
  delivery_id: z.string().describe("The Verdict-Delivery header of the message (the same on every retry)"),
  attempt: z.number().int(),
  status: z.enum(["delivered", "failed"]),
  response_code: z.number().int().nullable(),
  error: z.string().nullable(),
  at: z.string(),
});
export type DeliveryView = z.infer<typeof deliverySchema>;
export const deliveryListSchema = z.object({ deliveries: z.array(deliverySchema) });
export const testResultSchema = z.object({ delivery: deliverySchema });

const err = (description: string) => ({ description, schema: errorEnvelopeSchema });

export const ALERT_ENDPOINTS: Endpoint[] = [
  {
    method: "post", path: "/api/v1/alert-rules", summary: "Create an alert rule (the answer holds its signing secret, shown only once)", auth: "write",
    body: createAlertRuleSchema,
    responses: { "201": { description: "Created", schema: createdAlertRuleSchema }, "400": err("Invalid fields, or a destination that is not https"), "401": err("Missing or wrong API key") },
  },
  {
    method: "get", path: "/api/v1/alert-rules", summary: "Alert rules with their delivery health (never their secrets)", auth: "read",
    responses: { "200": { description: "Newest first", schema: alertRuleListSchema }, "401": err("Missing or wrong API key") },
  },
  {
    method: "delete", path: "/api/v1/alert-rules/{id}", summary: "Delete an alert rule, its undelivered messages and its log", auth: "write",
    responses: { "204": { description: "Deleted" }, "404": err("No such rule"), "401": err("Missing or wrong API key") },
  },
  {
    method: "post", path: "/api/v1/alert-rules/{id}/test", summary: "Send a test message now (one attempt, logged)", auth: "write",
    responses: { "200": { description: "The attempt, delivered or failed", schema: testResultSchema }, "404": err("No such rule"), "401": err("Missing or wrong API key") },
  },
  {
    method: "get", path: "/api/v1/alert-rules/{id}/deliveries", summary: "The rule's delivery log, newest first (last 100 attempts)", auth: "read",
    responses: { "200": { description: "Attempts", schema: deliveryListSchema }, "404": err("No such rule"), "401": err("Missing or wrong API key") },
  },
];
