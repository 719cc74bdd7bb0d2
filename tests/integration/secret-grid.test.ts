// Issue 15 #5: secrets never reach storage. A generated grid — secret forms × stored fields ×
// ingest paths (POST /api/v1/ingest as JSON and NDJSON, OTLP JSON, `npx verdict import` of
// NDJSON, JSON and CSV files) — stores records that each carry a unique secret value, then
// reads the database's own files (the SQLite file and its WAL, byte for byte; PostgreSQL
// through pg_dump) and looks for every one of those values.
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { POST as otlp } from "@/app/api/v1/otlp/v1/traces/route";
import { GET as interceptRoute } from "@/app/api/v1/intercepts/[id]/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY, withParams } from "../support/http";
import { contractJson } from "../support/contract";
import { canonicalJson, sha256Hex } from "@/lib/records/json";
import type { Db } from "@/lib/db/client";

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, "../..");
type J = unknown;

/** Ways a secret value sits in a recorded payload. `url` forms also go into source_url. */
const FORMS: { name: string; url?: true; make: (s: string) => Record<string, J> }[] = [
  { name: "Authorization header", make: (s) => ({ headers: { Authorization: `Bearer ${s}` } }) },
  { name: "Proxy-Authorization header", make: (s) => ({ headers: { "Proxy-Authorization": `Basic ${s}` } }) },
  { name: "Cookie header", make: (s) => ({ headers: { Cookie: `session=${s}; theme=dark` } }) },
  { name: "Set-Cookie header", make: (s) => ({ headers: { "set-cookie": `sid=${s}; Path=/; HttpOnly` } }) },
  { name: "X-API-Key header", make: (s) => ({ headers: { "X-API-Key": s } }) },
  { name: "api-key header", make: (s) => ({ headers: { "api-key": s } }) },
  { name: "x-goog-api-key header", make: (s) => ({ headers: { "x-goog-api-key": s } }) },
  { name: "header pairs", make: (s) => ({ headers: [["Accept", "*/*"], ["Authorization", `Bearer ${s}`]] }) },
  { name: "HAR header list", make: (s) => ({ headers: [{ name: "Accept", value: "*/*" }, { name: "authorization", value: `Bearer ${s}` }] }) },
  { name: "raw header text", make: (s) => ({ headers: `Accept: */*\r\nAuthorization: Bearer ${s}\r\nHost: api.example.com\r\n` }) },
  { name: "JSON text", make: (s) => ({ body: JSON.stringify({ integration_api_key: s, q: 1 }) }) },
  { name: "double-encoded JSON text", make: (s) => ({ body: JSON.stringify(JSON.stringify({ headers: { "x-api-key": s } })) }) },
  { name: "key with a trailing space", make: (s) => ({ "integration_api_key ": s }) },
  { name: "integration-api-key", make: (s) => ({ "integration-api-key": s }) },
  { name: "integrationApiKey", make: (s) => ({ integrationApiKey: s }) },
  { name: "INTEGRATION_API_KEY", make: (s) => ({ INTEGRATION_API_KEY: s }) },
  { name: "password", make: (s) => ({ login: { user: "ann", password: s } }) },
  { name: "secret", make: (s) => ({ client: { secret: s } }) },
  { name: "token", make: (s) => ({ token: s }) },
  { name: "access_token", make: (s) => ({ access_token: s, token_type: "Bearer", expires_in: 3600 }) },
  { name: "api_key", make: (s) => ({ api_key: s }) },
  { name: "?api_key= in a URL", url: true, make: (s) => ({ url: `https://maps.example.com/v1/geo?q=oslo&api_key=${s}` }) },
  { name: "?key= in a URL", url: true, make: (s) => ({ url: `https://maps.example.com/v1/geo?key=${s}&q=oslo` }) },
  { name: "?access_token= in a URL", url: true, make: (s) => ({ url: `https://graph.example.com/me?access_token=${s}` }) },
  { name: "?token= in a URL", url: true, make: (s) => ({ url: `https://hooks.example.com/x?token=${s}` }) },
  { name: "form body", make: (s) => ({ data: `grant_type=password&username=ann&password=${s}` }) },
  { name: "params object with key", make: (s) => ({ params: { key: s, q: "oslo" } }) },
  { name: "VERDICT_SENSITIVE_KEYS name", make: (s) => ({ customer: { customer_ssn: s } }) },
];

type Kind = "intercept" | "policy_decision" | "handoff";
/** Where a payload lands in a stored record, per record type. */
const FIELDS: { kind: Kind; name: string; url?: true; place: (rec: Record<string, J>, frag: Record<string, J>) => void }[] = [
  { kind: "intercept", name: "request_payload", place: (r, f) => (r.request_payload = { method: "GET", ...f }) },
  { kind: "intercept", name: "request_payload as JSON text", place: (r, f) => (r.request_payload = JSON.stringify({ method: "POST", json: f })) },
  { kind: "intercept", name: "raw_response", place: (r, f) => (r.raw_response = { ok: true, ...f }) },
  { kind: "intercept", name: "raw_response as JSON text", place: (r, f) => (r.raw_response = JSON.stringify([f])) },
  { kind: "intercept", name: "unknown top-level field (extra)", place: (r, f) => (r.debug = f) },
  { kind: "intercept", name: "source_url", url: true, place: (r, f) => (r.source_url = f.url) },
  { kind: "policy_decision", name: "call_kwargs", place: (r, f) => ((r.context as { tool_call: Record<string, J> }).tool_call.call_kwargs = { request: f }) },
  { kind: "policy_decision", name: "callback message", place: (r, f) => ((r.callback_result as Record<string, J>).message = `request was ${JSON.stringify(f)}`) },
  { kind: "policy_decision", name: "unknown top-level field (extra)", place: (r, f) => (r.debug = f) },
  { kind: "handoff", name: "payload", place: (r, f) => ((r.payload as Record<string, J>).debug = f) },
  { kind: "handoff", name: "claim request_payload", place: (r, f) => (((r.payload as { claims: Record<string, J>[] }).claims[0]).request_payload = { url: "https://api.example.com/v1/a", ...f }) },
  { kind: "handoff", name: "evaluation", place: (r, f) => (r.evaluation = { outcome: "PASS", per_claim: [{ result: "PASS", indexed: f }], errors: [] }) },
  { kind: "handoff", name: "unknown top-level field (extra)", place: (r, f) => (r.debug = f) },
];

function template(kind: Kind, id: string, source: string): Record<string, J> {
  const base = { id, source, created_at: "2026-11-20T10:00:00Z" };
  if (kind === "intercept") {
    return { type: "intercept", ...base, agent_id: "grid_agent", action_name: "fetch", source_url: "https://api.example.com/v1/a", request_payload: { method: "GET" }, raw_response: { ok: true } };
  }
  if (kind === "policy_decision") {
    return {
      type: "policy_decision", ...base, agent_id: "grid_agent",
      context: { tool_call: { tool_name: "send", call_args: [], call_kwargs: {} }, triggering_edge: { source_name: "a", target_name: "b", source_depth: 1, target_depth: 2 }, policy: { name: "p" } },
      callback_result: { passed: true, message: "ok" }, decision: { action: "PASS" },
    };
  }
  return {
    type: "handoff", ...base, agent_id: "grid_agent",
    payload: { task: "t", claims: [{ action_name: "fetch", claimed_value: 1, request_payload: { url: "https://api.example.com/v1/a" }, verification_mode: "field_extraction", json_path: "$.ok", query_record_id: 1 }] },
  };
}

interface Cell {
  secret: string;
  label: string;
}

/** Every (form × field) record for one ingest path; each carries its own secret. */
function gridRecords(pathName: string, source: string, cells: Cell[], kinds: Kind[] = ["intercept", "policy_decision", "handoff"]): Record<string, J>[] {
  const out: Record<string, J>[] = [];
  for (const field of FIELDS) {
    if (!kinds.includes(field.kind)) continue;
    for (const form of FORMS) {
      if (field.url && !form.url) continue;
      const n = cells.length;
      const secret = `GRIDSECRET${String(n).padStart(4, "0")}x${Math.random().toString(36).slice(2, 10)}`;
      const rec = template(field.kind, `${pathName}-${n}`, source);
      field.place(rec, form.make(secret));
      cells.push({ secret, label: `${pathName} · ${field.kind}.${field.name} · ${form.name}` });
      out.push(rec);
    }
  }
  return out;
}

/** OTLP spans: secret headers as http.request.header.* attributes, URLs, messages as JSON text. */
function otlpBody(cells: Cell[]): { resourceSpans: J[]; count: number } {
  const spans: J[] = [];
  const attr = (key: string, value: J) => ({ key, value: Array.isArray(value) ? { arrayValue: { values: value.map((v) => ({ stringValue: v })) } } : { stringValue: value } });
  const headerAttrs = ["authorization", "proxy-authorization", "x-api-key", "api-key", "x-goog-api-key", "cookie"];
  const add = (label: string, attrs: (s: string) => J[]) => {
    const n = cells.length;
    const secret = `GRIDSECRET${String(n).padStart(4, "0")}x${Math.random().toString(36).slice(2, 10)}`;
    cells.push({ secret, label: `otlp · ${label}` });
    spans.push({
      traceId: n.toString(16).padStart(32, "0"), spanId: (n + 1).toString(16).padStart(16, "0"), name: "GET", kind: 3,
      startTimeUnixNano: "1794650401000000000", endTimeUnixNano: "1794650401500000000",
      attributes: [attr("http.request.method", "GET"), ...attrs(secret)],
    });
  };
  for (const h of headerAttrs) add(`attribute http.request.header.${h}`, (s) => [attr("url.full", "https://api.example.com/v1/a"), attr(`http.request.header.${h}`, [`Bearer ${s}`])]);
  add("attribute http.response.header.set-cookie", (s) => [attr("url.full", "https://api.example.com/v1/a"), attr("http.response.header.set-cookie", [`sid=${s}`])]);
  for (const form of FORMS.filter((f) => f.url)) add(`url.full ${form.name}`, (s) => [attr("url.full", form.make(s).url)]);
  for (const form of FORMS.filter((f) => !f.url)) {
    add(`gen_ai.input.messages ${form.name}`, (s) => [attr("url.full", "https://api.example.com/v1/a"), attr("gen_ai.input.messages", JSON.stringify([{ role: "user", content: "x", ...form.make(s) }]))]);
    add(`gen_ai.output.messages ${form.name}`, (s) => [attr("url.full", "https://api.example.com/v1/a"), attr("gen_ai.output.messages", JSON.stringify(form.make(s)))]);
  }
  return { resourceSpans: [{ resource: { attributes: [attr("service.name", "grid_otel")] }, scopeSpans: [{ scope: { name: "grid" }, spans }] }], count: spans.length };
}

/** Intercepts as a CSV export of the recorder's table (request_payload and raw_response as JSON text). */
function csvFile(cells: Cell[]): { text: string; count: number } {
  const q = (v: string) => `"${v.replace(/"/g, '""')}"`;
  const rows = ["id,agent_id,action_name,source_url,request_payload,raw_response,response_hash,created_at"];
  for (const form of FORMS) {
    for (const where of ["request_payload", "raw_response", ...(form.url ? ["source_url"] : [])]) {
      const n = cells.length;
      const secret = `GRIDSECRET${String(n).padStart(4, "0")}x${Math.random().toString(36).slice(2, 10)}`;
      cells.push({ secret, label: `import csv · intercept.${where} · ${form.name}` });
      const frag = form.make(secret);
      const url = where === "source_url" ? String(frag.url) : "https://api.example.com/v1/a";
      const req = where === "request_payload" ? JSON.stringify({ method: "GET", ...frag }) : "{}";
      const raw = where === "raw_response" ? JSON.stringify(frag) : '{"ok": true}';
      rows.push([90000 + n, "grid_csv", "fetch", q(url), q(req), q(raw), "", "2026-11-20 10:00:00"].join(","));
    }
  }
  return { text: rows.join("\n") + "\n", count: rows.length - 1 };
}

describe.each(DIALECTS)("secrets never reach the %s database", (dialect) => {
  let db: Db;
  let url: string;
  const cells: Cell[] = [];
  let sent = 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), "verdict-grid-"));
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    process.env.VERDICT_SENSITIVE_KEYS = "ssn";
    ({ db } = await useFreshDatabase(dialect));
    url = process.env.DATABASE_URL!;
  });
  afterAll(() => {
    delete process.env.VERDICT_SENSITIVE_KEYS;
  });

  const expectAllStored = (body: { accepted: number; rejected: unknown[] }, count: number) => {
    expect(body.rejected, JSON.stringify(body.rejected).slice(0, 2000)).toEqual([]);
    expect(body.accepted).toBe(count);
    sent += count;
  };

  it("stores every grid record through POST /api/v1/ingest as JSON", async () => {
    const records = gridRecords("json", "grid-json", cells);
    const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
    expectAllStored(await res.json(), records.length);
  });

  it("stores every grid record through POST /api/v1/ingest as NDJSON", async () => {
    const records = gridRecords("ndjson", "grid-ndjson", cells);
    const res = await ingest(jsonRequest("/api/v1/ingest", records.map((r) => JSON.stringify(r)).join("\n"), { contentType: "application/x-ndjson" }), noParams);
    expectAllStored(await res.json(), records.length);
  });

  it("stores every grid span through OTLP JSON", async () => {
    const { resourceSpans, count } = otlpBody(cells);
    const res = await otlp(jsonRequest("/api/v1/otlp/v1/traces", { resourceSpans }), noParams);
    expect(res.status).toBeLessThan(300);
    const body = await res.json();
    expect(JSON.stringify(body)).not.toMatch(/rejected[^\]]*GRIDSECRET/);
    expect(await db.intercept.count({ where: { agentId: "grid_otel" } })).toBe(count);
    sent += count;
  });

  it("stores every grid record through `npx verdict import` of NDJSON, JSON and CSV files", async () => {
    const nd = gridRecords("import-ndjson", "grid-import-ndjson", cells);
    const js = gridRecords("import-json", "grid-import-json", cells);
    const csv = csvFile(cells);
    writeFileSync(path.join(dir, "grid.ndjson"), nd.map((r) => JSON.stringify(r)).join("\n") + "\n");
    writeFileSync(path.join(dir, "grid.json"), JSON.stringify({ records: js }));
    writeFileSync(path.join(dir, "grid.csv"), csv.text);
    const env = { ...process.env, DATABASE_URL: url, VERDICT_SENSITIVE_KEYS: "ssn" };
    for (const [file, count] of [["grid.ndjson", nd.length], ["grid.json", js.length], ["grid.csv", csv.count]] as const) {
      const { stdout, stderr } = await run("npx", ["verdict", "import", path.join(dir, file), "--source", file === "grid.csv" ? "grid-import-csv" : "ignored"], { cwd: ROOT, env, timeout: 120_000 });
      expect(`${stdout}\n${stderr}`, file).not.toContain("GRIDSECRET");
      sent += count;
    }
    expect(await db.intercept.count({ where: { source: "grid-import-csv" } })).toBe(csv.count);
    expect(await db.handoff.count({ where: { source: "grid-import-json" } })).toBe(js.filter((r) => r.type === "handoff").length);
    expect(await db.policyDecision.count({ where: { source: "grid-import-ndjson" } })).toBe(nd.filter((r) => r.type === "policy_decision").length);
  }, 300_000);

  it("no secret of the grid is anywhere in the database files", async () => {
    let text: string;
    if (dialect === "sqlite") {
      await db.$disconnect();
      const file = url.replace(/^file:/, "");
      text = [file, `${file}-wal`, `${file}-journal`].filter((f) => existsSync(f)).map((f) => readFileSync(f).toString("latin1")).join("\n");
    } else {
      const { stdout } = await run("/usr/lib/postgresql/15/bin/pg_dump", ["--data-only", "--no-owner", url], { maxBuffer: 1 << 30 });
      text = stdout;
    }
    // The grid is real: the records are there (their agent ids), only the secrets are not.
    expect(text).toContain("grid_agent");
    expect(text).toContain("secret removed");
    const leaked = cells.filter((c) => text.includes(c.secret)).map((c) => c.label);
    console.log(`[secret-grid] ${dialect}: ${cells.length} secrets in ${sent} records over 6 ingest paths; found in the database: ${leaked.length}`);
    expect(leaked, leaked.join("\n")).toEqual([]);
  });
});

describe.each(DIALECTS)("the response hash of a scrubbed response on %s", (dialect) => {
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    await useFreshDatabase(dialect);
  });

  it("says which secrets were removed and that the response matched its hash when it arrived", async () => {
    const response = { access_token: "tok-0123456789abcdef", token_type: "Bearer", expires_in: 3600 };
    const record = {
      type: "intercept", id: "hash-1", agent_id: "oauth_agent", action_name: "get_token", source_url: "https://auth.example.com/oauth/token",
      request_payload: { method: "POST", data: "grant_type=client_credentials&client_secret=cs-0123456789" },
      raw_response: response, response_hash: sha256Hex(canonicalJson(response)), created_at: "2026-11-20T10:00:00Z",
    };
    const tampered = { ...record, id: "hash-2", response_hash: sha256Hex("something else") };
    const res = await ingest(jsonRequest("/api/v1/ingest", { records: [record, tampered] }), noParams);
    expect((await res.json()).accepted).toBe(2);
    const list = await (await import("@/lib/db/client")).getDb().db.intercept.findMany({ where: { agentId: "oauth_agent" }, orderBy: { sourceId: "asc" } });
    const detail = async (id: string) => contractJson(await interceptRoute(getRequest(`/api/v1/intercepts/${id}`, TEST_KEY), withParams({ id })), "GET /api/v1/intercepts/{id}");
    const ok = await detail(list[0].id);
    expect(JSON.stringify(ok)).not.toContain("tok-0123456789abcdef");
    expect(JSON.stringify(ok)).not.toContain("cs-0123456789");
    expect(ok.raw_response.access_token).toBe("[secret removed: access_token]");
    expect(ok.extra.removed_secrets).toEqual(expect.arrayContaining(["raw_response.access_token", "request_payload.data (parameter client_secret)"]));
    expect(ok.response_hash_check).toMatchObject({ status: "secrets_removed", at_ingest: "match", removed: expect.arrayContaining(["raw_response.access_token"]) });
    expect(ok.response_hash_check.message).toMatch(/^Verdict removed secrets from this response .*As it arrived, the response matched the recorded hash/);
    const bad = await detail(list[1].id);
    expect(bad.response_hash_check).toMatchObject({ status: "secrets_removed", at_ingest: "mismatch" });
  });
});
