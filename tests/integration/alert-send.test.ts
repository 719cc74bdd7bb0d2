// One delivery attempt against real receivers on loopback (lib/alerts/send.ts): what is sent,
// and what each way of failing is logged as. No database: the attempt is a plain HTTP POST.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendToDestination } from "@/lib/alerts/send";
import type { AlertRuleRow } from "@/lib/db/queries/alerts";
import type { WebhookBody } from "@/lib/alerts/message";
import { signatureOf } from "@/lib/alerts/signature";
import { freePort } from "../support/postgres";

const ENV = { VERDICT_WEBHOOKS_ALLOW_HTTP: "1", VERDICT_ALERTS_TIMEOUT_MS: "400" };
beforeAll(() => Object.assign(process.env, ENV));
afterAll(() => {
  for (const k of Object.keys(ENV)) delete process.env[k];
});

async function receiver(handle: (req: IncomingMessage, res: ServerResponse, raw: string) => void) {
  const got: { headers: IncomingMessage["headers"]; raw: string; socket: number }[] = [];
  const sockets = new Map<unknown, number>();
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size + 1);
      got.push({ headers: req.headers, raw, socket: sockets.get(req.socket)! });
      handle(req, res, raw);
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  return { got, url, close: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))) };
}

const rule = (url: string, type: "webhook" | "slack" = "webhook"): AlertRuleRow => ({
  id: "alr_test", name: "test", events: ["leak"], category: null, agentId: null, source: null, destinationType: type, destinationUrl: url,
  secret: "whsec_" + "x".repeat(40), createdAt: 0, consecutiveFailures: 0, lastAttemptAt: null, lastStatus: null, lastResponseCode: null,
});
const body: WebhookBody = {
  event: "leak", delivery_id: "dlv_1", rule: { id: "alr_test", name: "test" }, agent_id: "a1", count: 1, counts: { leak: 1 },
  items: [{ id: "int_1", url: "https://verdict.example.org/intercepts/int_1", kind: "leak" }], agent_url: "https://verdict.example.org/agents/a1",
};

describe("one delivery attempt", () => {
  it("POSTs the signed JSON body, and reuses the connection for the next message", async () => {
    const rx = await receiver((_q, res) => res.writeHead(200).end("thanks"));
    try {
      const r = await sendToDestination(rule(rx.url), body);
      expect(r).toEqual({ ok: true, responseCode: 200, error: null });
      const h = rx.got[0].headers;
      expect(rx.got[0].raw).toBe(JSON.stringify(body));
      expect(h["content-type"]).toBe("application/json");
      expect(h["content-length"]).toBe(String(Buffer.byteLength(rx.got[0].raw)));
      expect(h["verdict-delivery"]).toBe("dlv_1");
      expect(h["verdict-signature"]).toBe(signatureOf(rule(rx.url).secret, Number(h["verdict-timestamp"]), rx.got[0].raw));
      expect(await sendToDestination(rule(rx.url), { ...body, delivery_id: "dlv_2" })).toMatchObject({ ok: true });
      expect(rx.got.map((g) => g.socket)).toEqual([1, 1]); // kept alive
    } finally {
      await rx.close();
    }
  });

  it("sends Slack destinations {text} and no signature; a body with non-ASCII characters is sent whole", async () => {
    const rx = await receiver((_q, res) => res.writeHead(200).end());
    try {
      const named = { ...body, agent_id: "agent-é✓" };
      expect(await sendToDestination(rule(rx.url, "slack"), named)).toMatchObject({ ok: true });
      expect(Object.keys(JSON.parse(rx.got[0].raw))).toEqual(["text"]);
      expect(JSON.parse(rx.got[0].raw).text).toContain("agent-é✓");
      expect(rx.got[0].headers["verdict-signature"]).toBeUndefined();
    } finally {
      await rx.close();
    }
  });

  it("logs an answer that is not 2xx, without following a redirect", async () => {
    const target = await receiver((_q, res) => res.writeHead(200).end());
    const rx = await receiver((_q, res) => (rx.got.length === 1 ? res.writeHead(302, { location: target.url }).end() : res.writeHead(500).end("no")));
    try {
      expect(await sendToDestination(rule(rx.url), body)).toEqual({ ok: false, responseCode: 302, error: "the destination answered 302" });
      expect(target.got).toHaveLength(0);
      expect(await sendToDestination(rule(rx.url), body)).toEqual({ ok: false, responseCode: 500, error: "the destination answered 500" });
    } finally {
      await rx.close();
      await target.close();
    }
  });

  it("logs a refused connection and a receiver that never answers, within the timeout", async () => {
    const closed = `http://127.0.0.1:${await freePort()}/hook`;
    expect(await sendToDestination(rule(closed), body)).toEqual({ ok: false, responseCode: null, error: "ECONNREFUSED" });
    const silent = await receiver(() => {}); // reads the request, never answers
    try {
      const t0 = Date.now();
      expect(await sendToDestination(rule(silent.url), body)).toEqual({ ok: false, responseCode: null, error: "no answer within 400 ms" });
      expect(Date.now() - t0).toBeLessThan(5000);
    } finally {
      await silent.close();
    }
  });

  it("refuses a destination that is no longer allowed, without sending", async () => {
    const rx = await receiver((_q, res) => res.writeHead(200).end());
    delete process.env.VERDICT_WEBHOOKS_ALLOW_HTTP;
    try {
      const r = await sendToDestination(rule(rx.url), body);
      expect(r.ok).toBe(false);
      expect(r.error).toMatch(/^destination refused/);
      expect(rx.got).toHaveLength(0);
    } finally {
      process.env.VERDICT_WEBHOOKS_ALLOW_HTTP = "1";
      await rx.close();
    }
  });
});
