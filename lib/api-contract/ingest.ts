// The body of POST /api/v1/ingest: {"records": [...]} as JSON, or NDJSON (a record a line).
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";
import { interceptRecordSchema } from "../records/intercept";
import { policyDecisionRecordSchema } from "../records/policy-decision";
import { handoffRecordSchema } from "../records/handoff";

export const MAX_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_RECORDS = 5000;
export { MAX_JSON_DEPTH } from "../records/json-limits";

export const RECORD_TYPES = ["intercept", "policy_decision", "handoff"] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

export const recordSchemas = {
  intercept: interceptRecordSchema,
  policy_decision: policyDecisionRecordSchema,
  handoff: handoffRecordSchema,
} as const;

/** For the OpenAPI document: the request as a client writes it. */
export const ingestRequestSchema = z.object({
  records: z.array(z.discriminatedUnion("type", [interceptRecordSchema, policyDecisionRecordSchema, handoffRecordSchema])).min(1).max(MAX_RECORDS),
});

export const ingestResponseSchema = z.object({
  accepted: z.number().int(),
  duplicates: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;

export const INGEST_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/ingest",
    summary: "Ingest intercepts, policy decisions and handoffs (JSON or NDJSON)",
    auth: "write",
    body: ingestRequestSchema,
    responses: {
      "200": { description: "Every record was accepted (new or duplicate)", schema: ingestResponseSchema },
      "207": { description: "Some records were rejected; the valid ones were stored", schema: ingestResponseSchema },
      "400": { description: "Not JSON, no records, or no valid record", schema: errorEnvelopeSchema },
      "401": { description: "Missing or wrong API key", schema: errorEnvelopeSchema },
      "413": { description: "Body over 10 MiB or over 5,000 records", schema: errorEnvelopeSchema },
      "429": { description: "Too many wrong API keys from this client (or this wrong key from anywhere); see Retry-After. A valid key is never refused", schema: errorEnvelopeSchema },
      "503": { description: "VERDICT_INGEST_CONCURRENCY other bodies are being stored and this one waited VERDICT_INGEST_QUEUE_WAIT_MS; nothing was stored, send it again after Retry-After", schema: errorEnvelopeSchema },
    },
  },
];

export type BodyProblem = { status: 400 | 413; code: string; message: string; details?: { path: string; message: string }[] };

/** Splits the body into raw records. Lines of NDJSON that are not JSON are per-record errors. */
export function parseIngestBody(
  text: string,
  contentType: string,
): { records: { index: number; value: unknown; error?: string }[] } | BodyProblem {
  const ndjson = /ndjson|jsonl|json-seq/i.test(contentType);
  if (ndjson) {
    const records: { index: number; value: unknown; error?: string }[] = [];
    for (const line of text.split(/\r?\n/)) {
      if (line.trim() === "") continue;
      const index = records.length;
      try {
        records.push({ index, value: JSON.parse(line) });
      } catch (e) {
        records.push({ index, value: undefined, error: `line ${index + 1} is not JSON: ${(e as Error).message}` });
      }
    }
    if (records.length === 0) return { status: 400, code: "invalid_request", message: "The body holds no records: send one JSON record per line." };
    if (records.length > MAX_RECORDS) return { status: 413, code: "payload_too_large", message: `A request may hold at most ${MAX_RECORDS} records; this one holds ${records.length}.` };
    return { records };
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    return { status: 400, code: "invalid_json", message: `The body is not valid JSON: ${(e as Error).message}` };
  }
  if (typeof body !== "object" || body === null || Array.isArray(body) || !Array.isArray((body as { records?: unknown }).records)) {
    return { status: 400, code: "invalid_request", message: 'The body must be an object with a "records" array.', details: [{ path: "records", message: "is required and must be an array" }] };
  }
  const list = (body as { records: unknown[] }).records;
  if (list.length === 0) return { status: 400, code: "invalid_request", message: '"records" is empty: send at least one record.', details: [{ path: "records", message: "must not be empty" }] };
  if (list.length > MAX_RECORDS) return { status: 413, code: "payload_too_large", message: `A request may hold at most ${MAX_RECORDS} records; this one holds ${list.length}.` };
  return { records: list.map((value, index) => ({ index, value })) };
}
