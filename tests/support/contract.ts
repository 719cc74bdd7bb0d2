// The integration tests read API responses through these, so a response that drifts from the
// schema lib/api-contract/ registers for its endpoint and status fails a test: a field missing
// or of another type (Zod's issues), a field the schema does not describe (Zod strips it when
// parsing, so its absence from the parsed value names it), or a status the schema list lacks.
import type { z } from "zod";
import { ENDPOINTS } from "@/lib/api-contract/endpoints";

/** "GET /api/v1/handoffs/{id}": the method and the path as lib/api-contract registers them. */
export type EndpointName = `${"GET" | "POST" | "DELETE"} /api/${string}`;

function schemaOf(endpoint: EndpointName, status: number): z.ZodType {
  const [method, path] = endpoint.split(" ");
  const e = ENDPOINTS.find((x) => x.method === method.toLowerCase() && x.path === path);
  if (!e) throw new Error(`${endpoint} is not in lib/api-contract/endpoints.ts`);
  const r = e.responses[String(status)];
  if (!r) throw new Error(`${endpoint} answered ${status}, a status its contract does not list (${Object.keys(e.responses).join(", ")})`);
  if (!r.schema) throw new Error(`${endpoint} ${status} has no schema in its contract`);
  return r.schema;
}

/** Paths of the keys in `body` that `parsed` lacks: the ones the schema does not describe. */
function undescribedKeys(body: unknown, parsed: unknown, at = ""): string[] {
  if (Array.isArray(body) && Array.isArray(parsed)) return body.flatMap((v, i) => undescribedKeys(v, parsed[i], `${at}[${i}]`));
  if (!body || typeof body !== "object" || !parsed || typeof parsed !== "object" || Array.isArray(body)) return [];
  const b = body as Record<string, unknown>;
  const p = parsed as Record<string, unknown>;
  return Object.keys(b).flatMap((k) => (k in p ? undescribedKeys(b[k], p[k], at ? `${at}.${k}` : k) : [at ? `${at}.${k}` : k]));
}

/**
 * Checks a response body against its endpoint's schema for this status and returns the body
 * as it came (not Zod's output), so the test's own assertions read what the client read.
 */
// `any`: a drop-in for `await res.json()`, whose assertions read the fields directly.
export function parseResponseBody(endpoint: EndpointName, status: number, body: unknown): any {
  const result = schemaOf(endpoint, status).safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `  ${i.path.join(".") || "(root)"}: ${i.message}`).join("\n");
    throw new Error(`${endpoint} ${status}: the body does not match its schema in lib/api-contract/\n${issues}`);
  }
  const extra = undescribedKeys(body, result.data);
  if (extra.length) throw new Error(`${endpoint} ${status}: the body has fields its schema in lib/api-contract/ does not describe: ${extra.slice(0, 20).join(", ")}`);
  return body;
}

/** `await res.json()`, checked against the endpoint's schema for the status it answered. */
// `any`: a drop-in for `await res.json()`, whose assertions read the fields directly.
export async function contractJson(res: Response, endpoint: EndpointName): Promise<any> {
  return parseResponseBody(endpoint, res.status, await res.json());
}
