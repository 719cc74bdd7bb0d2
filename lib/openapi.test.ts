import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { openApiDocument } from "./openapi";

type Doc = { openapi: string; paths: Record<string, Record<string, { requestBody?: { content: Record<string, { schema: unknown }> }; security?: unknown[] }>> };
const ROOT = path.resolve(import.meta.dirname, "..");

/** Every app/api/**\/route.ts with the HTTP methods it exports, e.g. ["/api/v1/shares/[id]", "delete"]. */
function routesOnDisk(): [string, string][] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const full = path.join(dir, name);
      return statSync(full).isDirectory() ? walk(full) : /^route\.(ts|tsx|js)$/.test(name) ? [full] : [];
    });
  return walk(path.join(ROOT, "app/api")).flatMap((file) => {
    const pattern = "/" + path.relative(path.join(ROOT, "app"), path.dirname(file)).split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join("/");
    const source = readFileSync(file, "utf8");
    const methods = [...source.matchAll(/export\s+(?:const|async\s+function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)].map((m) => m[1].toLowerCase());
    return methods.map((m): [string, string] => [pattern, m]);
  });
}

/** "/api/v1/agents/[agentId]/timeline" and "/api/v1/agents/{agent_id}/timeline" are the same route. */
const shape = (p: string) => p.replace(/\[[^\]]+\]|\{[^}]+\}/g, "{}");

describe("openApiDocument", () => {
  it("describes ingest with the record schemas, generated from Zod", () => {
    const doc = openApiDocument() as Doc;
    expect(doc.openapi).toBe("3.1.0");
    const body = JSON.stringify(doc.paths["/api/v1/ingest"].post.requestBody);
    for (const field of ["agent_id", "action_name", "source_url", "callback_result", "trusted_endpoint_registry"]) expect(body).toContain(field);
  });

  it("has every route on disk under app/api, with each method it exports, and nothing else", () => {
    const doc = openApiDocument() as Doc;
    const onDisk = routesOnDisk();
    expect(onDisk.length).toBeGreaterThan(20);
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${shape(p)}`));
    const expected = onDisk.map(([p, m]) => `${m.toUpperCase()} ${shape(p)}`);
    expect(expected.filter((e) => !documented.includes(e)), "routes missing from the OpenAPI document").toEqual([]);
    expect(documented.filter((d) => !expected.includes(d)), "documented operations with no route").toEqual([]);
  });

  it("documents the share links and the shared page's requests, which take no key", () => {
    const doc = openApiDocument() as Doc;
    expect(JSON.stringify(doc.paths["/api/v1/shares"].post.requestBody)).toContain("expires_in_seconds");
    expect(doc.paths["/api/s/{token}/timeline"].get.security).toEqual([]);
    expect(doc.paths["/api/v1/shares/{id}"].delete.security).toEqual([{ bearer: [] }]);
  });
});
