// With VERDICT_ADMIN_PASSWORD set, nothing reaches data without a session or an API key,
// whatever the request's shape, on a real `next start`: every page and API route found on
// disk gets a plain GET, the RSC navigation form (RSC: 1, a Next-Router-State-Tree saying
// the dashboard layout is already loaded, and the matching _rsc), a prefetch, a segment
// prefetch, a _next/data URL and every server action, all without credentials. Shared
// links, sign-in and /api/health stay reachable. Then the failed-auth limit with real
// source addresses (127.0.0.2, .3, … are this machine), page first, and the session cookie.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { createHmac } from "node:crypto";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { TEST_KEY } from "../support/http";
import { startServer, testDistDir, type ServerProcess } from "../support/server";
import { rawRequest, type RawResponse } from "../support/raw-http";
import { apiRoutes, fillPattern } from "../support/api-routes";
import { makeSession, SESSION_COOKIE } from "@/lib/http/session";
import * as f from "../fixtures/records";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PASSWORD = "admin-password-for-this-test";
const MAX_AGE = 3600;
// Text that only a page or answer holding the stored records can contain.
const MARK = { agent: "agent_mark_q7", body: "BODY_MARK_5521", task: "TASK_MARK_8842", tool: "tool_mark_3390" };
const TRUSTED_PROXY = "127.0.0.9";

const { computeCacheBustingSearchParam } = createRequire(import.meta.url)("next/dist/shared/lib/router/utils/cache-busting-search-param.js") as {
  computeCacheBustingSearchParam: (prefetch?: string, segmentPrefetch?: string, stateTree?: string, nextUrl?: string) => Promise<string>;
};

function records() {
  return [
    { ...f.genAToolCall, id: 9101, agent_id: MARK.agent, action_name: "fetch_mark", raw_response: JSON.stringify({ note: MARK.body }), response_hash: undefined },
    {
      ...f.edgePolicyDecision,
      id: "pd-mark",
      context: { ...f.edgePolicyDecision.context, tool_call: { tool_name: MARK.tool, call_args: [], call_kwargs: { to: "x@example.com" } }, grounding: { agent_id: MARK.agent, resolved_concepts: [] } },
    },
    {
      ...f.handoffRecord,
      id: "h-mark",
      payload: { ...f.handoffRecord.payload, task: MARK.task, query_record_ids: [9101], claims: [{ ...f.handoffRecord.payload.claims[0], action_name: "fetch_mark", query_record_id: 9101, json_path: "$.note", claimed_value: MARK.body }] },
    },
  ];
}

/** Every page.tsx under app/, as its URL pattern ("/agents/[agentId]"). */
function pagePatterns(dir = path.join(ROOT, "app")): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return pagePatterns(full);
    if (!/^page\.(tsx|ts|jsx|js)$/.test(name)) return [];
    const segs = path.relative(path.join(ROOT, "app"), path.dirname(full)).split(path.sep).filter((s) => s && !/^\(.*\)$/.test(s));
    return ["/" + segs.join("/")];
  });
}

/** The router state a browser has on the overview page: root layout, dashboard layout, the overview's page. */
function stateTreeOn(pathname: string): string {
  const page: unknown = ["__PAGE__", {}];
  const segments = pathname.split("/").filter(Boolean);
  let node: unknown = page;
  for (const s of segments.reverse()) node = [s, { children: node }];
  return encodeURIComponent(JSON.stringify(["", { children: ["(dashboard)", { children: node }] }]));
}

interface Shape {
  name: string;
  headers: Record<string, string>;
  query?: string;
}

/** The ways a browser's router asks for a page, each with the _rsc value Next.js expects. */
async function requestShapes(target: string): Promise<Shape[]> {
  const tree = stateTreeOn(target === "/" ? "/agents" : "/");
  const rsc = async (prefetch?: string, segment?: string) => `_rsc=${await computeCacheBustingSearchParam(prefetch, segment, tree, undefined)}`;
  return [
    { name: "plain GET", headers: {} },
    { name: "RSC navigation", headers: { rsc: "1", "next-router-state-tree": tree }, query: await rsc() },
    { name: "RSC navigation without _rsc", headers: { rsc: "1", "next-router-state-tree": tree } },
    { name: "prefetch", headers: { rsc: "1", "next-router-prefetch": "1", "next-router-state-tree": tree }, query: await rsc("1") },
    { name: "segment prefetch", headers: { rsc: "1", "next-router-prefetch": "1", "next-router-segment-prefetch": "/_tree", "next-router-state-tree": tree }, query: await rsc("1", "/_tree") },
    { name: "HEAD", headers: {} },
  ];
}

const withQuery = (url: string, q?: string) => (q ? `${url}${url.includes("?") ? "&" : "?"}${q}` : url);
const leaked = (res: RawResponse, url: string) => Object.values(MARK).filter((m) => !decodeURIComponent(url).includes(m) && res.text.includes(m));

/** The sign-in form as a browser without JavaScript posts it (the server action's progressive-enhancement fields). */
async function signInForm(base: string, fields: { password: string; next?: string }, opts: { from?: string; origin?: string } = {}) {
  const page = await rawRequest(`${base}/sign-in`, { localAddress: opts.from });
  const form = new FormData();
  for (const m of page.text.matchAll(/<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?\/>/g)) {
    if (m[1] === "next") continue;
    form.append(m[1], (m[2] ?? "").replace(/&quot;/g, '"').replace(/&amp;/g, "&"));
  }
  form.append("next", fields.next ?? "/");
  form.append("password", fields.password);
  const encoded = new Response(form);
  const body = Buffer.from(await encoded.arrayBuffer());
  return rawRequest(`${base}/sign-in`, {
    method: "POST",
    headers: { "content-type": encoded.headers.get("content-type")!, origin: opts.origin ?? base },
    body,
    localAddress: opts.from,
  });
}

describe("the check where data is read", () => {
  // The proxy refuses first, so the servers above cannot show that the pages check too:
  // every dashboard page gets its database through dashboardDb or calls requireDashboardAccess.
  it("every dashboard page checks the session itself before reading, and none takes the database any other way", () => {
    const dir = path.join(ROOT, "app/(dashboard)");
    const files = (function walk(d: string): string[] {
      return readdirSync(d).flatMap((n) => (statSync(path.join(d, n)).isDirectory() ? walk(path.join(d, n)) : /\.(tsx|ts)$/.test(n) ? [path.join(d, n)] : []));
    })(dir);
    const pages = files.filter((f) => /page\.tsx$/.test(f));
    expect(pages.length).toBeGreaterThanOrEqual(9);
    for (const file of files) {
      const src = readFileSync(file, "utf8");
      const name = path.relative(ROOT, file);
      expect(src, name).not.toMatch(/from "@\/lib\/db\/client"|getDb\(/);
      if (pages.includes(file) || name.endsWith("layout.tsx")) expect(src, name).toMatch(/await dashboardDb\(\)|await requireDashboardAccess\(\)/);
    }
  });
});

describe.each(DIALECTS)("sign-in required on %s (next start)", (dialect) => {
  let server: ServerProcess;
  let base = "";
  const fill: Record<string, string> = {};
  let session = "";

  beforeAll(async () => {
    await useFreshDatabase(dialect);
    server = await startServer(process.env.DATABASE_URL!, TEST_KEY, testDistDir(), {
      VERDICT_ADMIN_PASSWORD: PASSWORD,
      VERDICT_SESSION_SECRET: undefined,
      VERDICT_SESSION_MAX_AGE: String(MAX_AGE),
      VERDICT_TRUSTED_PROXIES: TRUSTED_PROXY,
      VERDICT_AUTH_FAILURES_PER_MINUTE: undefined,
    });
    base = server.url;
    const key = { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" };
    const ingest = await fetch(`${base}/api/v1/ingest`, { method: "POST", headers: key, body: JSON.stringify({ records: records() }) });
    expect(ingest.status, await ingest.clone().text()).toBe(200);
    const timeline = await (await fetch(`${base}/api/v1/agents/${MARK.agent}/timeline`, { headers: key })).json();
    const ev = (kind: string) => timeline.events.find((e: { kind: string }) => e.kind === kind);
    fill.agentId = MARK.agent;
    fill.interceptId = ev("tool_call").id;
    fill.handoffId = (await (await fetch(`${base}/api/v1/handoffs`, { headers: key })).json()).handoffs[0].id;
    fill.callKey = (await (await fetch(`${base}/api/v1/policy-decisions`, { headers: key })).json()).decisions[0].call_key;
    const share = await (await fetch(`${base}/api/v1/shares`, { method: "POST", headers: key, body: JSON.stringify({ resource_type: "agent", resource_id: MARK.agent }) })).json();
    fill.token = share.url.split("/").pop();
    // Made by this process from the secret stored in the database: the server must agree.
    process.env.VERDICT_ADMIN_PASSWORD = PASSWORD;
    session = `${SESSION_COOKIE}=${await makeSession()}`;
    delete process.env.VERDICT_ADMIN_PASSWORD;
  });
  afterAll(async () => {
    await server?.stop();
  });

  const PARAMS: Record<string, () => Record<string, string>> = {
    "/agents/[agentId]": () => ({ agentId: fill.agentId }),
    "/intercepts/[id]": () => ({ id: fill.interceptId }),
    "/handoffs/[id]": () => ({ id: fill.handoffId }),
    "/policy/calls/[callKey]": () => ({ callKey: fill.callKey }),
    "/s/[token]": () => ({ token: fill.token }),
    "/s/[token]/intercepts/[id]": () => ({ token: fill.token, id: fill.interceptId }),
    "/api/v1/agents/[agentId]/timeline": () => ({ agentId: fill.agentId }),
    "/api/v1/intercepts/[id]": () => ({ id: fill.interceptId }),
    "/api/v1/handoffs/[id]": () => ({ id: fill.handoffId }),
    "/api/v1/shares/[id]": () => ({ id: "x" }),
    "/api/v1/alert-rules/[id]": () => ({ id: "x" }),
    "/api/v1/alert-rules/[id]/test": () => ({ id: "x" }),
    "/api/v1/alert-rules/[id]/deliveries": () => ({ id: "x" }),
    "/api/v1/legal-holds/[id]/release": () => ({ id: "x" }),
    "/api/s/[token]/timeline": () => ({ token: fill.token }),
    "/api/s/[token]/intercepts/[id]": () => ({ token: fill.token, id: fill.interceptId }),
    "/api/s/[token]/evidence": () => ({ token: fill.token }),
  };
  const urlOf = (pattern: string) => {
    if (pattern.includes("[") && !PARAMS[pattern]) throw new Error(`${pattern} is new: say in PARAMS which stored record it shows`);
    return fillPattern(pattern, PARAMS[pattern]?.() ?? {});
  };
  const isShared = (pattern: string) => pattern.startsWith("/s/") || pattern.startsWith("/api/s/");
  /** What each dashboard page shows of the stored records when signed in (the check that the marks can be seen at all). */
  const SHOWS: Record<string, string> = { "/agents": MARK.agent, "/agents/[agentId]": MARK.tool, "/intercepts/[id]": MARK.body, "/handoffs": MARK.task, "/handoffs/[id]": MARK.task, "/policy": MARK.tool, "/policy/calls/[callKey]": MARK.tool };

  it("every dashboard page, in every request shape, without a session: sent to sign-in, nothing of the records in the answer", async () => {
    const pages = pagePatterns().filter((p) => !isShared(p) && p !== "/sign-in");
    expect(pages).toEqual(expect.arrayContaining(["/", "/agents", "/agents/[agentId]", "/intercepts/[id]", "/handoffs/[id]", "/shares"]));
    const problems: string[] = [];
    for (const pattern of pages) {
      const url = urlOf(pattern);
      for (const shape of await requestShapes(url.split("?")[0])) {
        const full = withQuery(`${base}${url}`, shape.query);
        const res = await rawRequest(full, { method: shape.name === "HEAD" ? "HEAD" : "GET", headers: shape.headers });
        const marks = leaked(res, full);
        const toSignIn = (res.status === 307 || res.status === 303) && /^\/sign-in\?next=/.test(new URL(String(res.headers.location), base).pathname + new URL(String(res.headers.location), base).search);
        if (!toSignIn || marks.length) problems.push(`${shape.name} ${url}: ${res.status} ${res.headers.location ?? ""}${marks.length ? ` with ${marks.join(", ")} in the answer` : ""}`);
      }
      // the same request with a session does show the records (so the check above can fail)
      if (SHOWS[pattern]) {
        const shape = (await requestShapes(url.split("?")[0]))[1];
        const signedIn = await rawRequest(withQuery(`${base}${url}`, shape.query), { headers: { ...shape.headers, cookie: session } });
        expect(signedIn.status, `RSC ${url} with a session`).toBe(200);
        expect(signedIn.text, `RSC ${url} with a session`).toContain(SHOWS[pattern]);
      }
    }
    process.stdout.write(`[sign-in] ${pages.length} dashboard pages × 6 request shapes without a session\n`);
    expect(problems).toEqual([]);
  });

  it("_next/data and unknown paths without a session reveal nothing", async () => {
    const buildId = readFileSync(path.join(ROOT, testDistDir(), "BUILD_ID"), "utf8").trim();
    for (const p of [`/_next/data/${buildId}/agents.json`, `/_next/data/${buildId}/agents/${MARK.agent}.json`, `/_next/data/${buildId}/index.json`, "/no-such-page"]) {
      const res = await rawRequest(`${base}${p}`, { headers: { "x-nextjs-data": "1" } });
      expect(res.status, p).not.toBe(200);
      expect(leaked(res, p), p).toEqual([]);
    }
  });

  it("every server action, posted to every page without a session, does nothing and answers nothing", async () => {
    const manifest = JSON.parse(readFileSync(path.join(ROOT, testDistDir(), "server/server-reference-manifest.json"), "utf8")) as { node: Record<string, { exportedName: string }> };
    const actions = Object.entries(manifest.node).filter(([, a]) => a.exportedName !== "signIn");
    expect(actions.map(([, a]) => a.exportedName)).toEqual(expect.arrayContaining(["createShareAction", "revokeShareAction"]));
    const shareId = (await (await fetch(`${base}/api/v1/shares`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json()).shares[0].id;
    const args = (name: string) => JSON.stringify(name === "revokeShareAction" ? [shareId] : [{ resource_type: "agent", resource_id: MARK.agent, expires_in_seconds: 3600, redact_payloads: false }]);
    const targets = [...pagePatterns().map(urlOf), "/api/v1/agents", "/api/health"];
    for (const [id, action] of actions) {
      for (const url of targets) {
        const res = await rawRequest(`${base}${url}`, { method: "POST", headers: { "next-action": id, "content-type": "text/plain;charset=UTF-8", origin: base, accept: "text/x-component" }, body: args(action.exportedName) });
        expect(res.status, `${action.exportedName} on ${url}`).not.toBe(500);
        expect(res.text, `${action.exportedName} on ${url}`).not.toMatch(/"ok":true|\/s\/[A-Za-z0-9_-]{20,}/);
      }
    }
    const shares = (await (await fetch(`${base}/api/v1/shares`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json()).shares;
    expect(shares.map((s: { status: string }) => s.status)).toEqual(["active"]); // none made, none revoked
  });

  it("every API route without credentials: 401, except the public ones; shared links work by their token alone", async () => {
    const problems: string[] = [];
    for (const r of await apiRoutes()) {
      const url = urlOf(r.pattern);
      for (const method of Object.keys(r.handlers)) {
        for (const shape of (await requestShapes(url)).filter((s) => s.name !== "HEAD" && s.name !== "RSC navigation without _rsc")) {
          const headers: Record<string, string> = { ...shape.headers, ...(method === "GET" ? {} : { "content-type": "application/json", origin: base }) };
          const res = await rawRequest(withQuery(`${base}${url}`, shape.query), { method, headers, body: method === "GET" ? undefined : "{}" });
          const expected = r.pattern === "/api/health" || r.pattern === "/api/v1/openapi.json" || r.pattern === "/api/v1/integrity/public-key" || isShared(r.pattern) ? (method === "GET" ? 200 : 405) : r.pattern === "/api/sign-out" ? 303 : 401;
          if (res.status !== expected) problems.push(`${shape.name} ${method} ${url}: ${res.status}, expected ${expected}`);
          if (!isShared(r.pattern) && leaked(res, url).length) problems.push(`${method} ${url}: ${leaked(res, url).join(", ")} in the answer`);
        }
      }
    }
    expect(problems).toEqual([]);
    const shared = await rawRequest(`${base}/api/s/${fill.token}/timeline`);
    expect(shared.text).toContain(MARK.tool);
  });

  it("shared links and sign-in stay reachable without a session; a shared page shows only its record", async () => {
    const page = await rawRequest(`${base}/s/${fill.token}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(MARK.agent);
    const call = await rawRequest(`${base}/s/${fill.token}/intercepts/${encodeURIComponent(fill.interceptId)}`);
    expect(call.status).toBe(200);
    expect(call.text).toContain(MARK.body);
    expect((await rawRequest(`${base}/s/not-a-token`)).status).toBe(404);
    expect((await rawRequest(`${base}/sign-in?next=%2Fagents`)).status).toBe(200);
    expect((await rawRequest(`${base}/api/health`)).status).toBe(200);
  });

  it("sign-in: next only as a path on this site (tab, CRLF, //, backslash), never a 500; the cookie is Secure over https and lives VERDICT_SESSION_MAX_AGE", async () => {
    const from = "127.0.0.5";
    for (const [next, expected] of [
      ["/\t/evil.example", "/"],
      ["/agents\r\nSet-Cookie: x=y", "/"],
      ["//evil.example", "/"],
      ["/\\evil.example", "/"],
      ["https://evil.example/", "/"],
      ["/agents?sort=leaks", "/agents?sort=leaks"],
    ]) {
      const res = await signInForm(base, { password: PASSWORD, next }, { from });
      expect(res.status, JSON.stringify(next)).toBe(303);
      expect(res.headers.location, JSON.stringify(next)).toBe(expected);
    }
    const plain = await signInForm(base, { password: PASSWORD }, { from });
    const cookie = String(plain.headers["set-cookie"]);
    expect(cookie).toMatch(new RegExp(`Max-Age=${MAX_AGE}`));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).not.toMatch(/Secure/);
    const https = await signInForm(base, { password: PASSWORD }, { from, origin: base.replace("http:", "https:") });
    expect(String(https.headers["set-cookie"])).toMatch(/; Secure/);
    // the cookie works, and its MAC is not the one the admin password alone would give
    const value = /verdict_session=([^;]+)/.exec(cookie)![1];
    expect((await rawRequest(`${base}/agents`, { headers: { cookie: `${SESSION_COOKIE}=${value}` } })).status).toBe(200);
    const [exp, mac] = value.split(".");
    expect(mac).not.toBe(createHmac("sha256", `verdict-session:${PASSWORD}`).update(exp).digest("base64url"));
  });

  it("sign-out: a button on every dashboard page, a POST that clears the cookie; refused from another site", async () => {
    const page = await rawRequest(`${base}/agents`, { headers: { cookie: session } });
    expect(page.text).toMatch(/<form[^>]*action="\/api\/sign-out"[^>]*>/);
    const out = await rawRequest(`${base}/api/sign-out`, { method: "POST", headers: { cookie: session, origin: base } });
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe("/sign-in");
    expect(String(out.headers["set-cookie"])).toMatch(/verdict_session=;.*Max-Age=0/);
    const cross = await rawRequest(`${base}/api/sign-out`, { method: "POST", headers: { cookie: session, origin: "https://evil.example" } });
    expect(cross.status).toBe(403);
    expect(cross.headers["set-cookie"]).toBeUndefined();
    expect((await rawRequest(`${base}/api/sign-out`)).status).toBe(405); // never by GET (a prefetch)
  });

  it("failed-auth limit, page first: per real peer address, shared by sign-in and the API, never refusing a valid key or session", async () => {
    const attacker = "127.0.0.2";
    const user = "127.0.0.3";
    expect((await rawRequest(`${base}/sign-in`, { localAddress: attacker })).status).toBe(200); // the page's bundle is loaded first
    const results: string[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await signInForm(base, { password: `guess-${i}` }, { from: attacker });
      results.push(res.text.includes("Too many failed attempts") ? "limited" : res.text.includes("That password is not right") ? "wrong" : `?${res.status}`);
    }
    expect(results.slice(0, 20)).toEqual(Array(20).fill("wrong"));
    expect(results.slice(20)).toEqual(["limited", "limited"]);
    // the API sees the same limiter (one per process): the attacker's next wrong key is held back at once,
    // whatever X-Forwarded-For it claims (no proxy of its is trusted)
    for (const xff of ["", "198.51.100.1", "10.9.8.7, 203.0.113.4"]) {
      const res = await rawRequest(`${base}/api/v1/agents`, { headers: { authorization: "Bearer vk_wrong", ...(xff ? { "x-forwarded-for": xff } : {}), "x-verdict-peer-address": "192.0.2.200" }, localAddress: attacker });
      expect(res.status, `X-Forwarded-For: ${xff}`).toBe(429);
      expect(Number(res.headers["retry-after"])).toBeGreaterThan(0);
      expect(JSON.parse(res.text).error.code).toBe("rate_limited");
    }
    // the attacker's own valid key and session still work: wrong credentials never stop valid ones
    expect((await rawRequest(`${base}/api/v1/agents`, { headers: { authorization: `Bearer ${TEST_KEY}` }, localAddress: attacker })).status).toBe(200);
    expect((await rawRequest(`${base}/api/v1/agents`, { headers: { cookie: session }, localAddress: attacker })).status).toBe(200);
    expect((await rawRequest(`${base}/agents`, { headers: { cookie: session }, localAddress: attacker })).status).toBe(200);
    const ingest = await rawRequest(`${base}/api/v1/ingest`, { method: "POST", headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" }, body: JSON.stringify({ records: records().slice(0, 1) }), localAddress: attacker });
    expect(ingest.status).toBe(200);
    // another client: its wrong key is a plain 401, and it signs in
    expect((await rawRequest(`${base}/api/v1/agents`, { headers: { authorization: "Bearer vk_other_wrong" }, localAddress: user })).status).toBe(401);
    const signIn = await signInForm(base, { password: PASSWORD, next: "/agents" }, { from: user });
    expect(signIn.status).toBe(303);
    expect(String(signIn.headers["set-cookie"])).toContain(`${SESSION_COOKIE}=`);
  });

  it("behind a trusted proxy, the client is the right-most untrusted X-Forwarded-For hop", async () => {
    let n = 0;
    const viaProxy = (xff: string) => rawRequest(`${base}/api/v1/agents`, { headers: { authorization: `Bearer vk_wrong_via_proxy_${++n}`, "x-forwarded-for": xff }, localAddress: TRUSTED_PROXY });
    const statuses: number[] = [];
    // the client rotates what it writes itself; the proxy appends the address it saw (203.0.113.50)
    for (let i = 0; i < 22; i++) statuses.push((await viaProxy(`198.51.100.${i}, 203.0.113.50`)).status);
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual([429, 429]);
    // another client behind the same proxy is not held back
    expect((await viaProxy("203.0.113.51")).status).toBe(401);
  });
});
