// Alerts end to end: a real `next start` (its own delivery loop), a real HTTP receiver on
// loopback (node:http), SQLite and PostgreSQL. Signatures are checked with the recipe of
// docs/alerts.md; retries, a SIGKILL between commit and delivery, two servers on one
// PostgreSQL, and the one-message-per-minute grouping are each shown on the wire.
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { TEST_KEY } from "../support/http";
import { contractJson, parseResponseBody } from "../support/contract";
import { freePort } from "../support/postgres";
import { startServer, type ServerProcess } from "../support/server";

interface Received {
  headers: Record<string, string>;
  raw: string;
  body: Record<string, unknown> & { items: { id: string; url: string }[]; count: number; event: string; agent_id: string };
  status: number;
}

/** A webhook receiver on 127.0.0.1; `answer` decides each response's status. */
async function receiver(port = 0, answer: (n: number) => number = () => 200) {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      const status = answer(got.length + 1);
      got.push({ headers: req.headers as Record<string, string>, raw, body: JSON.parse(raw), status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", () => r()));
  const addr = server.address() as { port: number };
  return { got, url: `http://127.0.0.1:${addr.port}/hook`, port: addr.port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

/** The verification recipe of docs/alerts.md, as a receiver would write it in Node. */
function verify(secret: string, headers: Record<string, string>, rawBody: string, toleranceSeconds = 300): boolean {
  const ts = headers["verdict-timestamp"];
  const sig = headers["verdict-signature"];
  if (!ts || !sig || Math.abs(Date.now() / 1000 - Number(ts)) > toleranceSeconds) return false;
  const expected = "v1=" + createHmac("sha256", secret).update(`${ts}.${rawBody}`).digest("hex");
  return sig.length === expected.length && timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

let seq = 0;
/** A tool call and an LLM call carrying its tag: one leak for `agent`. */
function leak(agent: string, source = "alerts-test") {
  const n = ++seq;
  const t = Date.UTC(2026, 10, 20, 10) + n * 1000;
  return [
    { type: "intercept", id: `tool-${n}`, source, agent_id: agent, action_name: `fetch_${n}`, source_url: `https://api.example.com/x/${n}`, request_payload: { url: `https://api.example.com/x/${n}` }, raw_response: { v: n }, created_at: new Date(t).toISOString() },
    { type: "intercept", id: `llm-${n}`, source, agent_id: agent, action_name: `fetch_${n}`, source_url: "https://api.openai.com/v1/chat/completions", request_payload: { model: "gpt-4o" }, raw_response: { ok: true }, created_at: new Date(t + 500).toISOString() },
  ];
}

const auth = { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" };

async function ingest(server: ServerProcess, records: unknown[]): Promise<void> {
  const res = await fetch(`${server.url}/api/v1/ingest`, { method: "POST", headers: auth, body: JSON.stringify({ records }) });
  expect(res.status, await res.text()).toBe(200);
}

async function createRule(server: ServerProcess, body: Record<string, unknown>) {
  const res = await fetch(`${server.url}/api/v1/alert-rules`, { method: "POST", headers: auth, body: JSON.stringify(body) });
  return { status: res.status, body: await contractJson(res, "POST /api/v1/alert-rules") };
}

async function until<T>(what: string, f: () => T | Promise<T>, timeoutMs = 20_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const ENV = {
  VERDICT_WEBHOOKS_ALLOW_HTTP: "1",
  VERDICT_ALERTS_POLL_MS: "150",
  VERDICT_ALERTS_RETRY_BASE_MS: "300",
  VERDICT_ALERTS_WINDOW_MS: "3000",
  VERDICT_PUBLIC_URL: "https://verdict.example.org",
};

beforeAll(() => Object.assign(process.env, ENV));
afterAll(() => {
  for (const k of Object.keys(ENV)) delete process.env[k];
});

describe.each(DIALECTS)("alerts on %s", (dialect) => {
  let db: Db;
  let server: ServerProcess;
  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
    server = await startServer(process.env.DATABASE_URL!, TEST_KEY);
  }, 120_000);
  afterAll(async () => server?.stop());

  it("refuses bad rules with field paths and never shows the secret again", async () => {
    const bad = await createRule(server, { name: "x", events: ["leak"], destination: { type: "webhook", url: "http://10.0.0.5/hook" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details).toContainEqual({ path: "destination.url", message: expect.stringContaining("loopback") });
    const badEvent = await createRule(server, { name: "x", events: ["fire"], destination: { type: "webhook", url: "https://example.org/h" } });
    expect(badEvent.body.error.details[0].path).toMatch(/^events/);
    const noKey = await fetch(`${server.url}/api/v1/alert-rules`, { method: "POST", body: "{}" });
    expect(noKey.status).toBe(401);

    const made = await createRule(server, { name: "slack", events: ["block"], destination: { type: "slack", url: "https://hooks.slack.com/services/T000/B000/XXXXSECRET" } });
    expect(made.status).toBe(201);
    expect(made.body.secret).toMatch(/^whsec_/);
    // Reads are open without an admin password (the server then listens on loopback only), like every read; never with the secret.
    const listRes = await fetch(`${server.url}/api/v1/alert-rules`);
    const list = await listRes.text();
    parseResponseBody("GET /api/v1/alert-rules", listRes.status, JSON.parse(list));
    expect(list).toContain(made.body.id);
    expect(list).not.toContain(made.body.secret);
    expect(list).not.toContain("XXXXSECRET"); // a Slack URL is a credential too
    expect(server.output()).not.toContain(made.body.secret);
    expect((await fetch(`${server.url}/api/v1/alert-rules/${made.body.id}`, { method: "DELETE", headers: auth })).status).toBe(204);
    expect((await fetch(`${server.url}/api/v1/alert-rules/${made.body.id}`, { method: "DELETE", headers: auth })).status).toBe(404);
  });

  it("delivers a leak signed as documented, and logs the attempt; a test send too", async () => {
    const rx = await receiver();
    try {
      const rule = await createRule(server, { name: "leaks of a1", events: ["leak"], agent_id: "a1", destination: { type: "webhook", url: rx.url } });
      expect(rule.status).toBe(201);
      await ingest(server, [...leak("other-agent"), ...leak("a1")]);
      const msg = await until("the leak alert", () => rx.got[0]);
      expect(verify(rule.body.secret, msg.headers, msg.raw)).toBe(true);
      expect(verify("whsec_wrong", msg.headers, msg.raw)).toBe(false);
      expect(msg.headers["verdict-delivery"]).toMatch(/^dlv_/);
      expect(msg.body).toMatchObject({ event: "leak", agent_id: "a1", count: 1, rule: { id: rule.body.id, name: "leaks of a1" } });
      const stored = await db.intercept.findFirstOrThrow({ where: { sourceId: `llm-${seq}` } });
      expect(msg.body.items[0]).toMatchObject({ id: stored.id, url: `https://verdict.example.org/intercepts/${stored.id}`, kind: "leak" });

      const test = await contractJson(await fetch(`${server.url}/api/v1/alert-rules/${rule.body.id}/test`, { method: "POST", headers: auth }), "POST /api/v1/alert-rules/{id}/test");
      expect(test.delivery).toMatchObject({ status: "delivered", response_code: 200 });
      expect(rx.got).toHaveLength(2);
      expect(rx.got[1].body.event).toBe("test");
      expect(verify(rule.body.secret, rx.got[1].headers, rx.got[1].raw)).toBe(true);

      const log = await until("both attempts in the log", async () => {
        const l = await contractJson(await fetch(`${server.url}/api/v1/alert-rules/${rule.body.id}/deliveries`, { headers: auth }), "GET /api/v1/alert-rules/{id}/deliveries");
        return l.deliveries.length >= 2 ? l : null;
      });
      expect(log.deliveries.map((d: { status: string; response_code: number; delivery_id: string }) => [d.delivery_id, d.status, d.response_code]))
        .toEqual([[rx.got[1].headers["verdict-delivery"], "delivered", 200], [msg.headers["verdict-delivery"], "delivered", 200]]);
      await sleep(500);
      expect(rx.got).toHaveLength(2); // the other agent's leak went to no one
      await fetch(`${server.url}/api/v1/alert-rules/${rule.body.id}`, { method: "DELETE", headers: auth });
    } finally {
      await rx.close();
    }
  });

  it("sends Slack destinations a {text} body with links back to Verdict", async () => {
    const rx = await receiver();
    try {
      const rule = await createRule(server, { name: "to slack", events: ["leak"], agent_id: "a5", destination: { type: "slack", url: rx.url } });
      await ingest(server, leak("a5"));
      const msg = await until("the Slack message", () => rx.got[0]);
      expect(Object.keys(msg.body)).toEqual(["text"]);
      const stored = await db.intercept.findFirstOrThrow({ where: { sourceId: `llm-${seq}` } });
      expect(msg.body.text).toContain("1 tag leak for agent a5");
      expect(msg.body.text).toContain(`<https://verdict.example.org/intercepts/${stored.id}|${stored.id}>`);
      expect(msg.body.text).toContain("<https://verdict.example.org/agents/a5|Open in Verdict>");
      expect(msg.headers["verdict-signature"]).toBeUndefined();
      await fetch(`${server.url}/api/v1/alert-rules/${rule.body.id}`, { method: "DELETE", headers: auth });
    } finally {
      await rx.close();
    }
  });

  it("retries a receiver answering 500 with backoff, then succeeds, with one delivery id", async () => {
    const rx = await receiver(0, (n) => (n <= 2 ? 500 : 200));
    try {
      const rule = await createRule(server, { name: "retry", events: ["leak"], agent_id: "a2", destination: { type: "webhook", url: rx.url } });
      await ingest(server, leak("a2"));
      await until("three attempts", () => rx.got.length >= 3);
      expect(rx.got.map((r) => r.status)).toEqual([500, 500, 200]);
      expect(new Set(rx.got.map((r) => r.headers["verdict-delivery"])).size).toBe(1);
      // The log row is written once the receiver has answered: wait for it.
      const log = await until("the third attempt in the log", async () => {
        const l = await (await fetch(`${server.url}/api/v1/alert-rules/${rule.body.id}/deliveries`, { headers: auth })).json();
        return l.deliveries.length >= 3 ? l : null;
      });
      expect(log.deliveries.map((d: { attempt: number; status: string; response_code: number }) => [d.attempt, d.status, d.response_code]))
        .toEqual([[3, "delivered", 200], [2, "failed", 500], [1, "failed", 500]]);
      const gap = (i: number) => Date.parse(log.deliveries[i - 1].at) - Date.parse(log.deliveries[i].at);
      expect(gap(1)).toBeGreaterThan(gap(2)); // 600 ms after the 2nd failure, 300 after the 1st
      await sleep(800);
      expect(rx.got).toHaveLength(3);
      await fetch(`${server.url}/api/v1/alert-rules/${rule.body.id}`, { method: "DELETE", headers: auth });
    } finally {
      await rx.close();
    }
  });

  it("sends at most one message per rule and agent per window, with the count and the newest examples", async () => {
    const rx = await receiver();
    try {
      const rule = await createRule(server, { name: "group", events: ["leak"], agent_id: "a3", destination: { type: "webhook", url: rx.url } });
      await ingest(server, leak("a3"));
      await until("the first message", () => rx.got.length === 1);
      const firstAt = Date.now();
      await ingest(server, leak("a3"));
      await ingest(server, [...leak("a3"), ...leak("a3")]);
      await until("the grouped message", () => rx.got.length === 2, 10_000);
      expect(Date.now() - firstAt).toBeGreaterThan(2000); // held for the rest of the 3 s window
      expect(rx.got[1].body).toMatchObject({ event: "leak", agent_id: "a3", count: 3 });
      expect(rx.got[1].body.items).toHaveLength(3);
      expect(verify(rule.body.secret, rx.got[1].headers, rx.got[1].raw)).toBe(true);
      await sleep(500);
      expect(rx.got).toHaveLength(2);
      await fetch(`${server.url}/api/v1/alert-rules/${rule.body.id}`, { method: "DELETE", headers: auth });
    } finally {
      await rx.close();
    }
  });

  it("delivers exactly once after a SIGKILL between the ingest's commit and the delivery", async () => {
    const port = await freePort(); // nobody listens yet: the receiver is down
    const rule = await createRule(server, { name: "crash", events: ["leak"], agent_id: "a4", destination: { type: "webhook", url: `http://127.0.0.1:${port}/hook` } });
    await ingest(server, leak("a4"));
    await server.kill();
    const [{ n }] = await db.$queryRawUnsafe<{ n: unknown }[]>(`SELECT COUNT(*) AS n FROM "alert_messages" WHERE "rule_id" = '${rule.body.id}' AND "status" = 'pending'`)
      .then(async (m) => (Number(m[0].n) ? m : db.$queryRawUnsafe<{ n: unknown }[]>(`SELECT COUNT(*) AS n FROM "alert_events" WHERE "routed" = ${dialect === "sqlite" ? 0 : false}`)));
    expect(Number(n)).toBe(1); // committed with the records: waiting in the outbox or as a message
    const rx = await receiver(port);
    try {
      server = await startServer(process.env.DATABASE_URL!, TEST_KEY);
      await until("the delivery after the restart", () => rx.got.length >= 1, 30_000);
      await sleep(1500);
      expect(rx.got).toHaveLength(1);
      expect(rx.got[0].body).toMatchObject({ agent_id: "a4", count: 1 });
      expect(verify(rule.body.secret, rx.got[0].headers, rx.got[0].raw)).toBe(true);
    } finally {
      await rx.close();
    }
  }, 90_000);

  it("delivers from the server's thread, or from a worker thread of its own with VERDICT_ALERTS_WORKER=1", async () => {
    // The servers above ran the loop on their own thread (the default): no worker was started.
    expect(server.output()).not.toContain("alert delivery worker");
    await server.stop();
    server = await startServer(process.env.DATABASE_URL!, TEST_KEY, undefined, { VERDICT_ALERTS_WORKER: "1" });
    const rx = await receiver();
    try {
      const rule = await createRule(server, { name: "worker", events: ["leak"], agent_id: "a6", destination: { type: "webhook", url: rx.url } });
      await ingest(server, leak("a6"));
      const msg = await until("the leak alert from the worker", () => rx.got[0]);
      expect(msg.body).toMatchObject({ event: "leak", agent_id: "a6", count: 1 });
      expect(verify(rule.body.secret, msg.headers, msg.raw)).toBe(true);
      expect(server.output()).toContain("alert delivery worker ready");
      expect(server.output()).not.toContain("delivering from the server's thread");
      await fetch(`${server.url}/api/v1/alert-rules/${rule.body.id}`, { method: "DELETE", headers: auth });
    } finally {
      await rx.close();
    }
  }, 90_000);
});

describe("alerts with two servers on one PostgreSQL", () => {
  it("deliver each alert once", async () => {
    await useFreshDatabase("postgresql");
    const url = process.env.DATABASE_URL!;
    const [a, b] = await Promise.all([startServer(url, TEST_KEY), startServer(url, TEST_KEY)]);
    const rx = await receiver();
    try {
      const rule = await createRule(a, { name: "fleet", events: ["leak"], destination: { type: "webhook", url: rx.url } });
      const agents = Array.from({ length: 24 }, (_, i) => `fleet-${i}`);
      await Promise.all(agents.map((agent, i) => ingest(i % 2 ? a : b, leak(agent))));
      await until("a message per agent", () => rx.got.length >= agents.length, 30_000);
      await sleep(1500);
      const ids = rx.got.map((r) => r.headers["verdict-delivery"]);
      expect(rx.got).toHaveLength(agents.length);
      expect(new Set(ids).size).toBe(agents.length);
      expect(rx.got.map((r) => r.body.agent_id).sort()).toEqual([...agents].sort());
      expect(rx.got.every((r) => verify(rule.body.secret, r.headers, r.raw))).toBe(true);
    } finally {
      await rx.close();
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 120_000);
});
