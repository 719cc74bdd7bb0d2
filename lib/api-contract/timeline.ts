// Agents and timelines: the query schemas the routes parse with, and the
// response schemas the OpenAPI document shows.
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { decodeTimelineCursor, type TimelineCursor } from "../pagination/timeline-cursor";
import { EVENT_KINDS, isLeaksOnly, LEAKS_ONLY_VALUES, splitList } from "../records/timeline-kinds";
import { timestampField } from "../records/common";

const kindsCsv = z.string().max(4000).transform(splitList).pipe(z.array(z.enum(EVENT_KINDS)).max(10));
const actionsCsv = z.string().max(4000).transform(splitList).pipe(z.array(z.string().max(1000)).max(100));

const instant = timestampField.transform((i) => i.us).describe("ISO-8601 timestamp (no offset means UTC)");

export const timelineQuerySchema = z.object({
  cursor: z
    .string()
    .max(2000)
    .transform((s, ctx): TimelineCursor => {
      const c = decodeTimelineCursor(s);
      if (!c) {
        ctx.addIssue({ code: "custom", message: "is not a cursor this API returned (use next_cursor as given)" });
        return z.NEVER;
      }
      return c;
    })
    .optional()
    .describe("next_cursor of the previous page"),
  limit: z.coerce.number().int().min(1).max(1000).default(200).describe("events per page, 1–1000"),
  kinds: kindsCsv.optional().describe("comma-separated: tool_call,llm_call,untagged_call,policy_decision,handoff"),
  actions: actionsCsv.optional().describe("comma-separated action tags (policy decisions match on tool name; handoffs are left out)"),
  leaks_only: z
    .enum(LEAKS_ONLY_VALUES)
    .transform(isLeaksOnly)
    .optional()
    .describe("only LLM calls that carry a leaked tool tag"),
  from: instant.optional().describe("events at or after this instant"),
  to: instant.optional().describe("events before this instant"),
});

export type TimelineQuery = z.output<typeof timelineQuerySchema>;

export const agentSummarySchema = z.object({
  agent_id: z.string(),
  intercepts: z.number().int(),
  llm_calls: z.number().int(),
  tool_calls: z.number().int(),
  untagged_calls: z.number().int(),
  leaks: z.number().int(),
  policy_decisions: z.number().int(),
  blocks: z.number().int(),
  handoffs: z.number().int(),
  caught: z.number().int(),
  first_seen: z.string(),
  last_seen: z.string(),
});
export const agentsResponseSchema = z.object({ agents: z.array(agentSummarySchema) });
export type AgentSummary = z.infer<typeof agentSummarySchema>;

/** Calls per time bucket, for the agent page's activity chart (the page renders it; no endpoint answers it). */
export const activitySchema = z.object({
  bucketSeconds: z.number().int(),
  buckets: z.array(z.object({ start: z.number().int().describe("bucket start, microseconds"), calls: z.number().int(), leaks: z.number().int() })),
});
export type Activity = z.infer<typeof activitySchema>;
export type ActivityBucket = Activity["buckets"][number];

const eventBase = {
  id: z.string(),
  at: z.string().describe("ISO-8601 UTC with microseconds"),
  cursor: z.string().describe("a cursor just after this event"),
  source: z.string(),
  source_id: z.string().nullable(),
  link: z.string().describe("the dashboard page of this event"),
  summary: z.string(),
};
export const interceptEventSchema = z.object({
  ...eventBase,
  kind: z.enum(["tool_call", "llm_call", "untagged_call"]),
  method: z.string(),
  host: z.string(),
  path: z.string(),
  action_name: z.string(),
  tag_status: z.enum(["tagged", "untagged", "leaked"]),
  llm_provider: z.string().nullable(),
  run_id: z.string().nullable(),
  call_ref: z.string().nullable(),
  leak: z.object({ reason: z.string(), tool_intercept_id: z.string() }).nullable(),
});
export const policyEventSchema = z.object({
  ...eventBase,
  kind: z.literal("policy_decision"),
  tool_name: z.string(),
  policy_name: z.string().nullable(),
  edge: z.object({ source: z.string(), target: z.string(), source_depth: z.string(), target_depth: z.string() }).nullable(),
  passed: z.boolean().nullable(),
  action: z.string().nullable(),
  fail_closed: z.boolean(),
  message: z.string().nullable(),
});
export const handoffEventSchema = z.object({
  ...eventBase,
  kind: z.literal("handoff"),
  task: z.string().nullable(),
  run_id: z.string().nullable(),
  claim_count: z.number().int(),
  evaluator_outcome: z.string().nullable(),
  verdict_outcome: z.string().nullable(),
});
export const timelineEventSchema = z.discriminatedUnion("kind", [interceptEventSchema, policyEventSchema, handoffEventSchema]);
export const timelineResponseSchema = z.object({
  events: z.array(timelineEventSchema),
  next_cursor: z.string().nullable(),
});
export type InterceptEvent = z.infer<typeof interceptEventSchema>;
export type PolicyDecisionEvent = z.infer<typeof policyEventSchema>;
export type HandoffEvent = z.infer<typeof handoffEventSchema>;
export type TimelineEvent = z.infer<typeof timelineEventSchema>;
export type TimelinePage = z.infer<typeof timelineResponseSchema>;

const errors = {
  "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema },
};

export const TIMELINE_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/agents",
    summary: "Every agent with its counts (filler rows excluded)",
    auth: "read",
    responses: { "200": { description: "Agents, by agent_id", schema: agentsResponseSchema }, ...errors },
  },
  {
    method: "get",
    path: "/api/v1/agents/{agent_id}/timeline",
    summary: "One agent's intercepts, policy decisions and handoffs in time order, a page at a time",
    auth: "read",
    query: timelineQuerySchema,
    responses: {
      "200": { description: "A page of events; next_cursor is null on the last page", schema: timelineResponseSchema },
      "400": { description: "A query parameter is not valid (details name it)", schema: errorEnvelopeSchema },
      ...errors,
    },
  },
];
