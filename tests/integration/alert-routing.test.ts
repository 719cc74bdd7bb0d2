// When the delivery loop routes the outbox (lib/alerts/delivery-loop.ts, mustRoute): at once
// for whatever makes a message go out (an event that starts a message, a message now due),
// every JOIN_ROUTE_MS for events that only join a message still waiting for its window, and
// always before a message is sent, so what it carries is complete. Real database, real
// receiver on loopback, the loop's own pass function with the state the server's loop keeps.
import { createServer } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import * as f from "../fixtures/records";
import type { Db } from "@/lib/db/client";
import { createAlertRule, removeAlertRule } from "@/lib/alerts/service";
import { deliveryPass, JOIN_ROUTE_MS, loopSettings, type LoopState } from "@/lib/alerts/delivery-loop";

const post = async (records: unknown[]) => {
  const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
  expect(res.status, await res.clone().text()).toBe(200);
};

let nextId = 5000;
/** `count` leaked LLM calls of `agent`, each after a tool call of the same tag. */
function leaks(agent: string, count: number): unknown[] {
  const out: unknown[] = [];
  for (let i = 0; i < count; i++) {
    const s = String(nextId % 60).padStart(2, "0");
    out.push({ ...f.genAToolCall, id: nextId, agent_id: agent, created_at: `2026-11-20T11:${String(Math.floor(nextId / 60) % 60).padStart(2, "0")}:${s}.000Z` });
    out.push({ ...f.genALeakedLlmCall, id: nextId + 1, agent_id: agent, created_at: `2026-11-20T11:${String(Math.floor(nextId / 60) % 60).padStart(2, "0")}:${s}.500Z` });
    nextId += 2;
  }
  return out;
}

describe.each(DIALECTS)("alert routing on %s", (dialect) => {
  let db: Db;
  const got: { agent_id: string; count: number }[] = [];
  const receiver = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      got.push(JSON.parse(raw));
      res.writeHead(200).end();
    });
  });
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    process.env.VERDICT_WEBHOOKS_ALLOW_HTTP = "1";
    ({ db } = await useFreshDatabase(dialect));
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  });
  afterAll(async () => {
    delete process.env.VERDICT_API_KEY;
    delete process.env.VERDICT_WEBHOOKS_ALLOW_HTTP;
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));
  });

  const unrouted = async () =>
    Number((await db.$queryRawUnsafe<{ n: unknown }[]>(`SELECT COUNT(*) AS n FROM "alert_events" WHERE "routed" = ${dialect === "sqlite" ? 0 : false}`))[0].n);
  const openCount = async (agent: string) =>
    (await db.$queryRawUnsafe<{ count: unknown }[]>(`SELECT "count" FROM "alert_messages" WHERE "agent_id" = '${agent}' AND "status" = 'pending'`)).map((m) => Number(m.count));

  it("routes at once what sends a message, later what only joins one, and always before sending", async () => {
    const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
    const rule = await createAlertRule({ name: "leaks", events: ["leak"], destination: { type: "webhook", url: hook } });
    const s = { ...loopSettings(), windowMs: 60_000 };
    const state: LoopState = { routedAt: 0 };
    const pass = () => deliveryPass(s, state);

    // The first leak of an agent goes out on the next pass.
    await post(leaks("route-a", 1));
    expect(await pass()).toBe(1);
    expect(got.map((m) => [m.agent_id, m.count])).toEqual([["route-a", 1]]);
    expect(await unrouted()).toBe(0);

    // More, within the window: routed at once into a new message that waits for its minute.
    await post(leaks("route-a", 2));
    expect(await pass()).toBe(0);
    expect(await unrouted()).toBe(0);
    expect(await openCount("route-a")).toEqual([2]);

    // One more: it only joins that waiting message, so it waits too (no write this pass).
    await post(leaks("route-a", 1));
    expect(await pass()).toBe(0);
    expect(await unrouted()).toBe(1);
    expect(await openCount("route-a")).toEqual([2]);

    // Another agent's first leak goes out at once; the waiting event is routed with it.
    await post(leaks("route-b", 1));
    expect(await pass()).toBe(1);
    expect(got.map((m) => [m.agent_id, m.count])).toEqual([["route-a", 1], ["route-b", 1]]);
    expect(await unrouted()).toBe(0);
    expect(await openCount("route-a")).toEqual([3]);

    // Events that only join are routed once JOIN_ROUTE_MS has passed since the last routing.
    await post(leaks("route-a", 1));
    expect(await pass()).toBe(0);
    expect(await unrouted()).toBe(1);
    state.routedAt -= JOIN_ROUTE_MS;
    expect(await pass()).toBe(0);
    expect(await unrouted()).toBe(0);
    expect(await openCount("route-a")).toEqual([4]);

    // A message that is due is routed before it is sent: the leak stored just before is in it.
    await post(leaks("route-a", 1));
    await db.$executeRawUnsafe(`UPDATE "alert_messages" SET "not_before" = 0, "next_attempt_at" = 0 WHERE "agent_id" = 'route-a' AND "status" = 'pending'`);
    expect(await pass()).toBe(1);
    expect(got.map((m) => [m.agent_id, m.count])).toEqual([["route-a", 1], ["route-b", 1], ["route-a", 5]]);
    expect(await unrouted()).toBe(0);
    expect(await openCount("route-a")).toEqual([]);
    await removeAlertRule(rule.id);
  });
});
