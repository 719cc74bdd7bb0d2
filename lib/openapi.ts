// The OpenAPI 3.1 document of API v1, generated from the endpoint list in lib/api-contract/
// (the same Zod schemas the routes use). This module only reads that list.
import { z } from "zod";
import { ENDPOINTS } from "./api-contract/endpoints";
import type { Endpoint } from "./api-contract/endpoint";

export type { Endpoint };

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
