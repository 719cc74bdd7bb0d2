// Issue 15 #4, #7, #8, #9 against a real `next start` on SQLite and PostgreSQL: a claim's
// catastrophic regex neither stalls its own request nor anyone else's (at ingest, on the
// handoff page and API, on the shared page); shared pages show no body when redacted and no
// intercept the handoff does not cite; pages answer parameters PostgreSQL cannot hold with the
// API's 400 error instead of a 500.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, freshDatabase } from "../support/databases";
import { startServer, type ServerProcess } from "../support/server";
import { TEST_KEY } from "../support/http";
import { AGENT, BODY_SECRET, scopeRecords } from "../fixtures/share-scope";

const HOSTILE = "a".repeat(31) + "!";
const hostileRecords = [
  {
    type: "intercept", source: "regex", id: 601, agent_id: "regex_agent", action_name: "fetch_name",
    source_url: "https://api.names.example/v1/name", request_payload: { url: "https://api.names.example/v1/name", method: "GET" },
    raw_response: { name: HOSTILE }, created_at: "2026-11-20T10:00:00Z",
  },
  {
    type: "handoff", source: "regex", id: "regex-h1", agent_id: "regex_agent", created_at: "2026-11-20T10:00:05Z",
    payload: {
      task: "Check the name", trusted_endpoint_registry: ["https://api.names.example/v1/name"],
      claims: [{
        action_name: "fetch_name", claimed_value: HOSTILE, query_record_id: 601, request_payload: { url: "https://api.names.example/v1/name" },
        verification_mode: "schema_type", json_path: "$.name", expected_json_schema: { type: "string", pattern: "^(a+)+$" },
      }],
    },
  },
];

describe.each(DIALECTS)("a real server on %s", (dialect) => {
  let server: ServerProcess;
  const auth = { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" };
  const api = (p: string, init: RequestInit = {}) => fetch(`${server.url}${p}`, { ...init, headers: { ...auth, ...(init.headers ?? {}) } });
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    server = await startServer(await freshDatabase(dialect), TEST_KEY);
    const { tool, unrelated, handoff } = scopeRecords();
    const res = await api("/api/v1/ingest", { method: "POST", body: JSON.stringify({ records: [tool, unrelated, handoff] }) });
    expect((await res.json()).accepted).toBe(3);
    const handoffs = (await (await api(`/api/v1/handoffs?agent_id=${AGENT}`)).json()).handoffs;
    ids.scopeHandoff = handoffs[0].id;
    const timeline = (await (await api(`/api/v1/agents/${AGENT}/timeline`)).json()).events as { id: string; kind: string; action_name?: string }[];
    ids.tool = timeline.find((e) => e.action_name === "fetch_account")!.id;
    ids.unrelated = timeline.find((e) => e.action_name === "unknown")!.id;
  }, 120_000);
  afterAll(async () => {
    await server?.stop();
  });

  /** Starts `work`, then asks /api/health while it runs; both timings in ms. */
  async function healthWhile(work: () => Promise<Response>) {
    const started = performance.now();
    const pending = work().then(async (r) => ({ status: r.status, text: await r.text(), ms: performance.now() - started }));
    await new Promise((r) => setTimeout(r, 20));
    const h0 = performance.now();
    const health = await fetch(`${server.url}/api/health`);
    const healthMs = performance.now() - h0;
    expect(health.status).toBe(200);
    return { ...(await pending), healthMs };
  }

  it("a claim's catastrophic pattern does not stall ingest, the handoff views or the shared page, nor /api/health meanwhile", async () => {
    // Warm-up: the first request to each route loads its code, which is not what is measured.
    const warm = await (await api("/api/v1/shares", { method: "POST", body: JSON.stringify({ resource_type: "handoff", resource_id: ids.scopeHandoff }) })).json();
    for (const p of [`/handoffs/${ids.scopeHandoff}`, warm.url, `/api/v1/handoffs/${ids.scopeHandoff}`]) await (await api(p)).text();
    const seen: Record<string, { work: number; health: number }> = {};
    const ingest = await healthWhile(() => api("/api/v1/ingest", { method: "POST", body: JSON.stringify({ records: hostileRecords }) }));
    expect(ingest.status).toBe(200);
    seen.ingest = { work: ingest.ms, health: ingest.healthMs };
    const id = (await (await api("/api/v1/handoffs?agent_id=regex_agent")).json()).handoffs[0].id as string;
    const share = await (await api("/api/v1/shares", { method: "POST", body: JSON.stringify({ resource_type: "handoff", resource_id: id }) })).json();
    const views: [string, () => Promise<Response>][] = [
      ["GET /api/v1/handoffs/<id>", () => api(`/api/v1/handoffs/${id}`)],
      ["handoff page", () => fetch(`${server.url}/handoffs/${id}`)],
      ["shared page", () => fetch(`${server.url}${share.url}`)],
    ];
    for (const [name, view] of views) {
      const r = await healthWhile(view);
      expect(r.status, name).toBe(200);
      seen[name] = { work: r.ms, health: r.healthMs };
    }
    const detail = await (await api(`/api/v1/handoffs/${id}`)).json();
    expect(detail.analysis.claims[0]).toMatchObject({ result: "CAUGHT", detail: 'value must match pattern "^(a+)+$"' });
    console.log(`[security-server] ${dialect}: ms per request / /api/health meanwhile: ${JSON.stringify(Object.fromEntries(Object.entries(seen).map(([k, v]) => [k, `${Math.round(v.work)} / ${Math.round(v.health)}`])))}`);
    // JavaScript's RegExp took 13.5 s on this pattern (issue 15); RE2 answers at once. The
    // bounds are generous for a shared test machine; the health check must not wait for the regex.
    for (const [name, v] of Object.entries(seen)) {
      expect(v.health, name).toBeLessThan(1500);
      expect(v.work, name).toBeLessThan(5000);
    }
  }, 120_000);

  it("pages answer U+0000 in a query or path parameter with the API's 400 error, never a 500", async () => {
    const pages = ["/policy?agent_id=%00", "/handoffs?agent_id=%00", `/agents/${AGENT}?actions=%00`, "/agents/%00", "/intercepts/%00", "/handoffs/%00", "/policy?policy=a%00b"];
    for (const p of pages) {
      const res = await fetch(`${server.url}${p}`);
      const html = await res.text();
      expect(res.status, p).toBeLessThan(500);
      expect(html, p).toContain("U+0000");
    }
    // The API, over HTTP: the issue's cursor (1e+23 into a bigint) and U+0000.
    expect((await api("/api/v1/handoffs?cursor=OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk6eA")).status).toBe(400);
    expect((await api("/api/v1/handoffs?agent_id=%00")).status).toBe(400);
    // and the next request is served
    expect((await fetch(`${server.url}/handoffs`)).status).toBe(200);
  });

  it("a handoff share's pages reach only the intercepts the handoff cites, and a redacted one shows no body", async () => {
    const create = async (redact: boolean) =>
      (await (await api("/api/v1/shares", { method: "POST", body: JSON.stringify({ resource_type: "handoff", resource_id: ids.scopeHandoff, redact_payloads: redact }) })).json()).url as string;
    const plain = await create(false);
    const redacted = await create(true);
    const plainPage = await (await fetch(`${server.url}${plain}`)).text();
    expect(plainPage).toContain(BODY_SECRET); // the body is on the page: redaction has something to hide
    for (const share of [plain, redacted]) {
      expect((await fetch(`${server.url}${share}/intercepts/${ids.tool}`)).status).toBe(200);
      const page = await fetch(`${server.url}${share}/intercepts/${ids.unrelated}`);
      expect(page.status).toBe(404);
      expect(await page.text()).not.toContain("UNRELATED-PRIVATE");
      const apiRes = await fetch(`${server.url}/api${share}/intercepts/${ids.unrelated}`);
      expect(apiRes.status).toBe(404);
    }
    const redactedPage = await (await fetch(`${server.url}${redacted}`)).text();
    expect(redactedPage).toContain("Claim 1");
    expect(redactedPage).not.toContain(BODY_SECRET);
    expect(redactedPage).not.toContain("owner ");
    const redactedIntercept = await (await fetch(`${server.url}${redacted}/intercepts/${ids.tool}`)).text();
    expect(redactedIntercept).not.toContain(BODY_SECRET);
  });
});
