// The OpenAPI 3.1 document of API v1, generated from the same Zod schemas the routes use.
// A route that gains a schema registers it in ENDPOINTS below.
import { z } from "zod";
import { ingestRequestSchema, ingestResponseSchema } from "./records/ingest-request";
import { errorEnvelopeSchema } from "./http/errors";
import { HANDOFF_ENDPOINTS } from "./api-contract/handoffs";
import { OTLP_ENDPOINTS } from "./api-contract/otlp";
import { TIMELINE_ENDPOINTS } from "./api-contract/timeline";
import { POLICY_ENDPOINTS } from "./api-contract/policy";
import { ALERT_ENDPOINTS } from "./api-contract/alerts";
import { SHARE_ENDPOINTS } from "./api-contract/shares";
import type { Endpoint } from "./api-contract/endpoint";
import { REVIEW_ENDPOINTS } from "./api-contract/reviews";
import { RETENTION_ENDPOINTS } from "./api-contract/retention";
import { EVIDENCE_ENDPOINTS } from "./api-contract/evidence";

export type { Endpoint };

const healthSchema = z.object({ status: z.literal("ok"), database: z.enum(["sqlite", "postgresql"]) });

export const ENDPOINTS: Endpoint[] = [
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
  {
    method: "post",
    path: "/api/sign-out",
    summary: "End the dashboard session (clears the session cookie), then go to the sign-in page",
    auth: "none",
    responses: {
      "303": { description: "Cookie cleared; Location: /sign-in" },
      "403": { description: "Posted from another site (Origin differs)", schema: errorEnvelopeSchema },
    },
  },
  {
    method: "get",
    path: "/api/health",
    summary: "Liveness and the kind of database",
    auth: "none",
    responses: { "200": { description: "Verdict and its database answer", schema: healthSchema } },
  },
  ...HANDOFF_ENDPOINTS,
  ...OTLP_ENDPOINTS,
  ...TIMELINE_ENDPOINTS,
  ...POLICY_ENDPOINTS,
  ...ALERT_ENDPOINTS,
  ...SHARE_ENDPOINTS,
  {
    method: "get",
    path: "/api/v1/openapi.json",
    summary: "This document",
    auth: "none",
    responses: { "200": { description: "The OpenAPI 3.1 document of API v1" } },
  },
  ...REVIEW_ENDPOINTS,
  ...RETENTION_ENDPOINTS,
  ...EVIDENCE_ENDPOINTS,
];

const toSchema = (s: z.ZodType, io: "input" | "output") => z.toJSONSchema(s, { io, unrepresentable: "any", target: "draft-2020-12" });

function binaryContent(bodies: Endpoint["binaryBodies"]): Record<string, unknown> {
  return Object.fromEntries((bodies ?? []).map((b) => [b.contentType, { schema: { type: "string", format: "binary", description: b.description } }]));
}

export function openApiDocument(extra: Endpoint[] = []): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const e of [...ENDPOINTS, ...extra]) {
    const op: Record<string, unknown> = {
      summary: e.summary,
      // A shared page's requests carry their credential in the path: no key, no session.
      security: e.auth === "none" || e.auth === "share-token" ? [] : e.auth === "write" ? [{ bearer: [] }] : [{ bearer: [] }, { session: [] }],
      responses: Object.fromEntries(
        Object.entries(e.responses).map(([code, r]) => [
          code,
          {
            description: r.description,
            ...(r.schema
              ? { content: { "application/json": { schema: toSchema(r.schema, "output") }, ...(code === "200" ? binaryContent(e.binaryBodies) : {}) } }
              : {}),
          },
        ]),
      ),
    };
    if (e.query) {
      op.parameters = Object.entries(e.query.shape).map(([name, s]) => ({ name, in: "query", required: !(s as z.ZodType).safeParse(undefined).success, schema: toSchema(s as z.ZodType, "input") }));
    }
    const pathParams = [...e.path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: "path", required: true, schema: { type: "string" } }));
    if (pathParams.length) op.parameters = [...pathParams, ...((op.parameters as unknown[]) ?? [])];
    if (e.body) op.requestBody = { required: true, content: { "application/json": { schema: toSchema(e.body, "input") }, ...binaryContent(e.binaryBodies) } };
    (paths[e.path] ??= {})[e.method] = op;
  }
  return {
    openapi: "3.1.0",
    info: { title: "Verdict API", version: "1", description: "Audit what AI agents did: ingest records, read timelines, leaks, handoff analyses, policy decisions, share links." },
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "VERDICT_API_KEY, or a key from `npx verdict keys create`" },
        session: { type: "apiKey", in: "cookie", name: "verdict_session" },
      },
    },
    paths,
  };
}
