// GET /api/v1/integrity, /api/v1/integrity/public-key and /api/v1/exports (docs/evidence.md):
// the query they take and the documents they answer, as Zod schemas.
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { timestampField } from "../records/common";

const instant = timestampField.transform((i) => i.us).describe("ISO-8601 timestamp (no offset means UTC)");

export const exportQuerySchema = z.object({
  agent_id: z.string().min(1).max(1000).optional().describe("Only this agent's records"),
  source: z.string().min(1).max(1000).optional().describe("Only records of this source"),
  from: instant.optional().describe("Records at or after this instant"),
  to: instant.optional().describe("Records before this instant"),
  handoff_id: z.string().min(1).max(1000).optional().describe("One handoff and the intercepts it rests on (the other filters do not apply)"),
})
  // A misspelt filter must not silently widen a whole-database export.
  .strict();

/** GET /api/v1/integrity takes no parameters; an unknown one is an error rather than a second full check of everything. */
export const integrityQuerySchema = z.object({}).strict();

const mismatchSchema = z.object({
  id: z.string().describe("Verdict id of the record (or of the evidence batch, for a broken link)"),
  table: z.enum(["intercepts", "policy_decisions", "handoffs", "evidence_batches"]),
  reason: z.enum(["changed", "hash_column_changed", "missing", "tombstone_mismatch", "batch_changed", "chain_broken", "not_in_chain"]),
  detail: z.string(),
});

export const integrityReportSchema = z.object({
  ok: z.boolean().describe("true when every chained record matches its hash and every link holds"),
  records: z.number().int().describe("records listed by the evidence chain (deleted ones included)"),
  batches: z.number().int(),
  mismatches: z.array(mismatchSchema).describe("changed, missing (deleted without a tombstone) or unchained records, in chain order (first 1,000)"),
  deleted: z.array(z.object({ id: z.string(), table: z.enum(["intercepts", "policy_decisions", "handoffs"]), reason: z.string() })).describe("records deleted with a tombstone: gaps, not mismatches"),
  unchained: z.number().int().describe("records stored before the chain existed (not covered)"),
  head: z.object({ position: z.number().int(), chain_hash: z.string() }).nullable(),
  checked_at: z.string(),
});

const keySchema = z.object({
  fingerprint: z.string().describe("SHA-256 of the public key's SPKI DER, hex"),
  public_key: z.string().describe("PEM (SPKI)"),
  created_at: z.string(),
  retired_at: z.string().nullable().describe("set once a newer key replaced it; its signatures stay valid"),
  current: z.boolean(),
});
export type PublicKeyEntry = z.infer<typeof keySchema>;

export const publicKeyResponseSchema = z.object({
  algorithm: z.literal("ed25519"),
  fingerprint: z.string(),
  public_key: z.string(),
  keys: z.array(keySchema).describe("every key that has signed evidence, newest first"),
});

const bundleResponse = { description: "The bundle (NDJSON: header, batch and record lines, signed manifest last)" };

export const EVIDENCE_ENDPOINTS: Endpoint[] = [
  {
    method: "get",
    path: "/api/v1/integrity",
    summary: "Check every stored record against the evidence chain; names the records that no longer match",
    auth: "read",
    query: integrityQuerySchema,
    responses: {
      "200": { description: "The report (ok: false when anything does not match)", schema: integrityReportSchema },
      "400": { description: "A query parameter was given (it takes none)", schema: errorEnvelopeSchema },
      "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema },
    },
  },
  {
    method: "get",
    path: "/api/v1/integrity/public-key",
    summary: "The Ed25519 public key that signs evidence bundles, its fingerprint, and the keys it replaced",
    auth: "none",
    responses: { "200": { description: "The public keys", schema: publicKeyResponseSchema } },
  },
  {
    method: "get",
    path: "/api/v1/exports",
    summary: "A signed evidence bundle of the selected records (verify offline: npx verdict verify-bundle FILE)",
    auth: "read",
    query: exportQuerySchema,
    responses: {
      "200": bundleResponse,
      "400": { description: "A query parameter is not valid", schema: errorEnvelopeSchema },
      "401": { description: "Sign-in or API key required", schema: errorEnvelopeSchema },
      "404": { description: "No handoff with that id", schema: errorEnvelopeSchema },
    },
  },
  {
    method: "get",
    path: "/api/s/{token}/evidence",
    summary: "The signed evidence bundle of exactly the shared resource (bodies as SHA-256 when the link redacts them)",
    auth: "none",
    responses: { "200": bundleResponse, "404": { description: "Unknown, expired or revoked link", schema: errorEnvelopeSchema } },
  },
];
