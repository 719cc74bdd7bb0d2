// /api/v1/legal-holds, /api/v1/retention and /api/v1/deletions: the bodies they take and the
// documents they answer, as Zod schemas (routes parse with them; OpenAPI is generated from them).
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { RECORD_TABLES } from "../records/record-tables";

const text = (max: number) => z.string().trim().min(1).max(max);

export const MAX_RETENTION_DAYS = 100 * 366;
const days = z.number().int().min(1).max(MAX_RETENTION_DAYS);
/** What the Settings page and POST /api/v1/retention store; null: keep forever. */
export const storedRetentionSchema = z.strictObject({
  default_days: days.nullable().describe("Age in days after which records are deleted; null keeps them forever (VERDICT_RETENTION_DAYS, when set, takes precedence)"),
  sources: z.record(z.string().trim().min(1).max(1000), days.nullable()).describe("Ages per source (e.g. \"sourcerykit\"); null keeps that source forever whatever the default"),
});
const reason = text(2000).describe("Why (kept in the hold's history)");

export const createLegalHoldSchema = z.discriminatedUnion("target_type", [
  z.strictObject({ target_type: z.literal("agent"), agent_id: text(1000).describe("Every record of this agent"), reason }),
  z.strictObject({ target_type: z.literal("source"), source: text(1000).describe("Every record of this source"), reason }),
  z.strictObject({
    target_type: z.literal("record"),
    record_table: z.enum(RECORD_TABLES).describe("intercepts | policy_decisions | handoffs"),
    record_id: text(200).describe("Verdict's id of the record (a held handoff keeps what it rests on too; a held LLM call keeps the tool call it leaks)"),
    reason,
  }),
]);
export type CreateLegalHoldInput = z.infer<typeof createLegalHoldSchema>;

export const releaseSchema = z.strictObject({ reason: text(2000).describe("Why the hold ends (kept in its history)") });
export const releaseCaughtSchema = z.strictObject({
  handoff_id: text(200).describe("A CAUGHT handoff: CAUGHT handoffs are held automatically until released"),
  reason: text(2000).describe("Why its hold ends"),
});

export const legalHoldSchema = z.object({
  id: z.string(),
  target_type: z.enum(["agent", "source", "record"]),
  agent_id: z.string().nullable(),
  source: z.string().nullable(),
  record_table: z.enum(RECORD_TABLES).nullable(),
  record_id: z.string().nullable(),
  automatic: z.boolean().describe("true: the automatic hold of a CAUGHT handoff, written when it was released"),
  reason: z.string(),
  created_by: z.string().describe("API key name, or \"dashboard\""),
  created_at: z.string(),
  released_at: z.string().nullable(),
  released_by: z.string().nullable(),
  release_reason: z.string().nullable(),
});
export type LegalHold = z.infer<typeof legalHoldSchema>;
export const legalHoldListSchema = z.object({ legal_holds: z.array(legalHoldSchema) });
export const legalHoldListQuery = z.strictObject({
  include_released: z.enum(["true", "false"]).optional().describe("true: the released ones too (the history)"),
});

export const retentionPolicySchema = storedRetentionSchema.extend({
  default_from: z.enum(["env", "settings"]).describe("env: VERDICT_RETENTION_DAYS is set and takes precedence over the stored default"),
  stored_default_days: z.number().int().nullable(),
  interval_seconds: z.number().int().describe("VERDICT_RETENTION_INTERVAL_SECONDS: how often the retention job runs"),
});

const counts = z.object({ intercepts: z.number().int(), policy_decisions: z.number().int(), handoffs: z.number().int() });
export const deletionSchema = z.object({
  id: z.string(),
  at: z.string(),
  finished_at: z.string().nullable(),
  actor: z.string().describe("API key name, \"retention\" or \"cli:<user>\""),
  reason: z.string(),
  scope: z.unknown().describe("{kind: retention, cutoffs} | {kind: agent, agent_id} | {kind: source, source}"),
  status: z.enum(["running", "done", "failed"]),
  counts,
  held: z.number().int().describe("records in scope kept because they are on hold"),
  error: z.string().nullable(),
});
export type Deletion = z.infer<typeof deletionSchema>;
/** A deletion as an agent's timeline shows it: the gap it left in this agent's records (the agent page hands these to its component). */
export const agentGapSchema = z.object({
  deletion_id: z.string(),
  at: z.string(),
  actor: z.string(),
  reason: z.string(),
  records: z.number().int(),
  counts,
  from: z.string().describe("The time range (created_at) the deleted records spanned"),
  to: z.string(),
});
export type AgentGap = z.infer<typeof agentGapSchema>;
export const deletionListSchema = z.object({ deletions: z.array(deletionSchema) });

const err = (description: string) => ({ description, schema: errorEnvelopeSchema });
const unauthorized = err("Missing or wrong API key");

export const RETENTION_ENDPOINTS: Endpoint[] = [
  {
    method: "get", path: "/api/v1/legal-holds", summary: "Legal holds in force (with include_released=true, the whole history)", auth: "read", query: legalHoldListQuery,
    responses: { "200": { description: "Newest first", schema: legalHoldListSchema }, "400": err("Invalid query"), "401": unauthorized },
  },
  {
    method: "post", path: "/api/v1/legal-holds", summary: "Hold an agent, a source or one record: no deletion removes it until released", auth: "write", body: createLegalHoldSchema,
    responses: { "201": { description: "Held", schema: legalHoldSchema }, "400": err("Invalid fields"), "404": err("No such record"), "401": unauthorized },
  },
  {
    method: "post", path: "/api/v1/legal-holds/{id}/release", summary: "Release a hold (the row stays, with who released it and why)", auth: "write", body: releaseSchema,
    responses: { "200": { description: "Released", schema: legalHoldSchema }, "404": err("No such hold"), "409": err("Released already"), "401": unauthorized },
  },
  {
    method: "post", path: "/api/v1/legal-holds/release-caught", summary: "Release the automatic hold of a CAUGHT handoff (recorded as a released hold)", auth: "write", body: releaseCaughtSchema,
    responses: { "201": { description: "Released", schema: legalHoldSchema }, "404": err("No such handoff"), "409": err("Not CAUGHT, or released already"), "401": unauthorized },
  },
  {
    method: "get", path: "/api/v1/retention", summary: "The retention policy in force: default age, ages per source, job interval", auth: "read",
    responses: { "200": { description: "The policy", schema: retentionPolicySchema }, "401": unauthorized },
  },
  {
    method: "post", path: "/api/v1/retention", summary: "Store the default age and the ages per source (null: keep forever)", auth: "write", body: storedRetentionSchema,
    responses: { "200": { description: "The policy now in force", schema: retentionPolicySchema }, "400": err("Invalid fields"), "401": unauthorized },
  },
  {
    method: "get", path: "/api/v1/deletions", summary: "The deletion log: every deletion with who, why, scope and counts (newest 100)", auth: "read",
    responses: { "200": { description: "Newest first", schema: deletionListSchema }, "401": unauthorized },
  },
];
