// Auth: every write and management route refuses a request without a key (the routes are
// found on disk, so a new one cannot be forgotten), reads need a key or a session when an
// admin password is set, keys never appear in answers or logs, and failed attempts are
// rate-limited per client address.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { randomBytes } from "node:crypto";
import { errorEnvelopeSchema } from "@/lib/http/errors";
import { failureLimiter } from "@/lib/http/rate-limit";
import { safeEqual } from "@/lib/http/auth";
import { makeSession, SESSION_COOKIE } from "@/lib/http/session";
import { PEER_HEADER } from "@/lib/http/peer-address";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { TEST_KEY, withParams } from "../support/http";
import { apiRoutes, fillPattern, HTTP_METHODS, type ApiRoute } from "../support/api-routes";
import * as f from "../fixtures/records";

/** Routes anyone may call. Adding one here is a security decision: say why. */
const PUBLIC: Record<string, string[]> = {
  "/api/health": ["GET"], // liveness probe for load balancers: answers status and database kind only
  "/api/v1/openapi.json": ["GET"], // the API's own description, no data
  "/api/sign-out": ["POST"], // clears the caller's own session cookie; reads and changes nothing else
  "/api/v1/integrity/public-key": ["GET"], // the public key that signs evidence: whoever received a bundle checks it with this, no secret
};
/** Shared links (/s/<token>) need no account: the unguessable token is the credential, for reads only. */
const isSharedLinkRead = (pattern: string, method: string) => method === "GET" && pattern.startsWith("/api/s/[token]");
const isPublic = (pattern: string, method: string) => !!PUBLIC[pattern]?.includes(method) || isSharedLinkRead(pattern, method);
/** Management endpoints: they need the key (or a dashboard session for reads) even for GET. */
const MANAGEMENT = /^\/api\/v1\/(shares|keys|api-keys|settings|alert-rules)(\/|$)/;

const WRONG_KEY = "vk_WRONG-key-material-7f3a9c";
let n = 0;
/** A fresh client address per request, so these checks never trip the rate limiter. */
const freshAddress = () => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${++n & 255}`;
// Handlers called directly have no socket: stand in for the server's peer-address hook
// (instrumentation.ts), which writes the socket's address into PEER_HEADER on every request.
// The rate limit on a real server, with real source addresses, is tested in sign-in-required.test.ts.
(globalThis as { __verdictPeerHook?: boolean }).__verdictPeerHook = true;

function request(route: ApiRoute, method: string, headers: Record<string, string> = {}) {
  const params = Object.fromEntries(route.params.map((p) => [p, "x"]));
  const init: RequestInit = { method, headers: { [PEER_HEADER]: freshAddress(), "content-type": "application/json", ...headers } };
  if (method !== "GET") init.body = JSON.stringify({ records: [f.genAToolCall], resource_type: "agent", resource_id: "x" });
  return route.handlers[method as "GET"]!(new Request(`http://localhost${fillPattern(route.pattern, params)}`, init), withParams(params));
}

describe.each(DIALECTS)("auth on %s", (dialect) => {
  let routes: ApiRoute[] = [];
  const logged: string[] = [];
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    await useFreshDatabase(dialect);
    routes = await apiRoutes();
    for (const level of ["log", "error", "warn", "info", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === "string" ? a : JSON.stringify(a))).join(" "));
      });
    }
  });
  afterEach(() => {
    delete process.env.VERDICT_ADMIN_PASSWORD;
  });
  afterAll(() => {
    vi.restoreAllMocks();
    delete process.env.VERDICT_API_KEY;
  });

  const writes = () => routes.flatMap((r) => HTTP_METHODS.filter((m) => m !== "GET" && r.handlers[m] && !isPublic(r.pattern, m)).map((m) => ({ r, m })));
  const reads = () => routes.flatMap((r) => (r.handlers.GET && !isPublic(r.pattern, "GET") ? [{ r, m: "GET" }] : []));

  it("finds the API routes on disk, ingest among them", () => {
    expect(routes.length).toBeGreaterThan(2);
    expect(writes().map(({ r, m }) => `${m} ${r.pattern}`)).toContain("POST /api/v1/ingest");
    process.stdout.write(`[auth] ${routes.length} route files, ${writes().length} write handlers, ${reads().length} read handlers checked\n`);
  });

  it("every write handler refuses a request without a key: 401 unauthorized", async () => {
    for (const { r, m } of writes()) {
      for (const headers of <Record<string, string>[]>[{}, { authorization: "" }, { authorization: "Bearer" }, { authorization: `Basic ${btoa(`admin:${TEST_KEY}`)}` }, { cookie: `${SESSION_COOKIE}=${await makeSession()}` }]) {
        const res = await request(r, m, headers);
        expect(res.status, `${m} ${r.pattern} with ${JSON.stringify(headers)}`).toBe(401);
        const body = await res.json();
        expect(errorEnvelopeSchema.parse(body).error.code).toBe("unauthorized");
      }
    }
  });

  it("every write handler refuses a wrong key, and the answer never echoes it", async () => {
    // One wrong key per database: the limiter also counts one guessed key across addresses
    // (20 a minute), and both databases' runs share this process.
    const wrongKey = `${WRONG_KEY}-${dialect}`;
    for (const { r, m } of writes()) {
      const res = await request(r, m, { authorization: `Bearer ${wrongKey}` });
      expect(res.status, `${m} ${r.pattern}`).toBe(401);
      const text = await res.text();
      expect(text).not.toContain(WRONG_KEY);
      expect(text).not.toContain(TEST_KEY);
    }
  });

  it("with an admin password set, every read and management handler refuses a request with neither key nor session", async () => {
    process.env.VERDICT_ADMIN_PASSWORD = "correct horse battery staple";
    for (const { r, m } of reads()) {
      for (const headers of <Record<string, string>[]>[{}, { cookie: `${SESSION_COOKIE}=forged.value` }, { cookie: `${SESSION_COOKIE}=${await makeSession(process.env, -10)}` }]) {
        const res = await request(r, m, headers);
        expect(res.status, `${m} ${r.pattern} with ${JSON.stringify(headers)}`).toBe(401);
      }
      const withKey = await request(r, m, { authorization: `Bearer ${TEST_KEY}` });
      expect(withKey.status, `${m} ${r.pattern} with the key`).not.toBe(401);
      const withSession = await request(r, m, { cookie: `${SESSION_COOKIE}=${await makeSession()}` });
      expect(withSession.status, `${m} ${r.pattern} with a session`).not.toBe(401);
    }
  });

  it("without an admin password, management handlers still refuse anonymous writes; public routes stay public", async () => {
    for (const { r, m } of writes().filter(({ r }) => MANAGEMENT.test(r.pattern))) expect((await request(r, m)).status).toBe(401);
    for (const [pattern, methods] of Object.entries(PUBLIC)) {
      const r = routes.find((x) => x.pattern === pattern);
      if (!r) continue;
      for (const m of methods) expect((await request(r, m)).status, `${m} ${pattern}`).toBeLessThan(400); // sign-out answers 303
    }
  });

  it("a changed admin password ends every session", async () => {
    process.env.VERDICT_ADMIN_PASSWORD = "first password";
    const session = await makeSession();
    process.env.VERDICT_ADMIN_PASSWORD = "second password";
    const r = reads()[0];
    if (r) expect((await request(r.r, "GET", { cookie: `${SESSION_COOKIE}=${session}` })).status).toBe(401);
  });

  it("no key material reaches the logs", () => {
    const all = logged.join("\n");
    expect(all).not.toContain(WRONG_KEY);
    expect(all).not.toContain(TEST_KEY);
  });

  it("wrong keys are limited per client and per key tried; a valid key or session is never refused", async () => {
    const ingest = routes.find((r) => r.pattern === "/api/v1/ingest")!;
    const agents = routes.find((r) => r.pattern === "/api/v1/agents")!;
    const attacker = `203.0.113.${randomBytes(1)[0]}`;
    const limit = 20; // VERDICT_AUTH_FAILURES_PER_MINUTE's default
    const statuses: number[] = [];
    for (let i = 0; i < limit + 3; i++) statuses.push((await request(ingest, "POST", { authorization: `Bearer guess-${i}`, [PEER_HEADER]: attacker })).status);
    expect(statuses.slice(0, limit)).toEqual(Array(limit).fill(401));
    expect(statuses.slice(limit)).toEqual([429, 429, 429]);
    const blocked = await request(ingest, "POST", { authorization: "Bearer guess-again", [PEER_HEADER]: attacker });
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(errorEnvelopeSchema.parse(await blocked.json()).error.code).toBe("rate_limited");
    // the valid key, even from the very address that failed: ingest cannot be stopped by wrong keys
    expect([200, 207]).toContain((await request(ingest, "POST", { authorization: `Bearer ${TEST_KEY}`, [PEER_HEADER]: attacker })).status);
    process.env.VERDICT_ADMIN_PASSWORD = "correct horse battery staple";
    expect((await request(agents, "GET", { cookie: `${SESSION_COOKIE}=${await makeSession()}`, [PEER_HEADER]: attacker })).status).toBe(200);
    // another client is not held back by the attacker's failures ...
    expect((await request(ingest, "POST", { authorization: "Bearer another-wrong-key", [PEER_HEADER]: "192.0.2.77" })).status).toBe(401);
    // ... but one wrong key tried too often is held back from every address
    const spray = `vk_one-key-from-many-addresses-${randomBytes(4).toString("hex")}`;
    const sprayed: number[] = [];
    for (let i = 0; i < limit + 2; i++) sprayed.push((await request(ingest, "POST", { authorization: `Bearer ${spray}` })).status);
    expect(sprayed.slice(0, limit)).toEqual(Array(limit).fill(401));
    expect(sprayed.slice(limit)).toEqual([429, 429]);
  });
});

describe("auth building blocks", () => {
  it("the failure limiter forgets failures after its window", () => {
    const l = failureLimiter(3, 60_000);
    for (let t = 0; t < 3; t++) l.fail("a", 1000 + t);
    expect(l.blocked("a", 2000)).toBeGreaterThan(0);
    expect(l.blocked("b", 2000)).toBe(0);
    expect(l.blocked("a", 61_003)).toBe(0);
  });

  it("key comparison is by digest, so length and prefix change nothing but the answer", () => {
    expect(safeEqual(TEST_KEY, TEST_KEY)).toBe(true);
    expect(safeEqual(TEST_KEY, TEST_KEY.slice(0, -1))).toBe(false);
    expect(safeEqual(TEST_KEY, TEST_KEY + "x")).toBe(false);
    expect(safeEqual("", TEST_KEY)).toBe(false);
  });

  it("key comparison takes about as long whether the first or the last character differs", () => {
    const secret = "k".repeat(4096);
    const early = "x" + secret.slice(1);
    const late = secret.slice(0, -1) + "x";
    const time = (other: string) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 300; i++) safeEqual(secret, other);
      return Number(process.hrtime.bigint() - t0);
    };
    const samples: [number, number][] = [];
    for (let i = 0; i < 15; i++) samples.push([time(early), time(late)]);
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const ratio = median(samples.map(([a])=> a)) / median(samples.map(([, b]) => b));
    // a short-circuiting compare of 4 KiB strings would differ by orders of magnitude
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(2);
  });
});
