// The order a newcomer works in: start Verdict, open the dashboard, THEN send records. Next.js
// loads our modules once per bundle (pages, route handlers), so anything the route bundle
// needs from what a page created first (the database client's SQLite connection and
// PostgreSQL pool, the ingest worker, the auth limiter) must be one per process. Before that
// was so, every ingest after a page view answered 500 on SQLite.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, freshDatabase } from "../support/databases";
import { TEST_KEY } from "../support/http";
import { startServer, type ServerProcess } from "../support/server";

const at = (s: number) => new Date(Date.UTC(2026, 10, 20, 10, 0, s)).toISOString();
const records = [
  { type: "intercept", id: "pf-1", agent_id: "page_first", action_name: "fetch_weather", source_url: "https://api.open-meteo.com/v1/forecast",
    request_payload: { method: "GET", url: "https://api.open-meteo.com/v1/forecast" }, raw_response: { t: 4.2 }, created_at: at(0) },
  { type: "intercept", id: "pf-2", agent_id: "page_first", action_name: "fetch_weather", source_url: "https://api.openai.com/v1/chat/completions",
    request_payload: { method: "POST", url: "https://api.openai.com/v1/chat/completions" }, raw_response: { choices: [] }, created_at: at(1) },
];

const ingest = (url: string, body: unknown, key = TEST_KEY) =>
  fetch(`${url}/api/v1/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });

describe.each(DIALECTS)("a page served before the first ingest, on %s", (dialect) => {
  let server: ServerProcess;
  beforeAll(async () => {
    server = await startServer(await freshDatabase(dialect), TEST_KEY, undefined, {}, "port");
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("pages first, then ingest, then pages and API reads again: every answer 2xx, the leak found", async () => {
    // The dashboard before any record: every page renders its empty state, no 500.
    for (const page of ["/", "/agents", "/handoffs", "/policy", "/shares"]) {
      const res = await fetch(`${server.url}${page}`, { signal: AbortSignal.timeout(30_000) });
      expect(res.status, page).toBe(200);
    }
    const first = await ingest(server.url, { records });
    expect(first.status, await first.clone().text()).toBe(200);
    expect(await first.json()).toMatchObject({ accepted: 2, duplicates: 0 });
    // A second batch and a re-send: the route keeps working after the first.
    const again = await ingest(server.url, { records });
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 2 });

    const agentPage = await fetch(`${server.url}/agents/page_first`);
    expect(agentPage.status).toBe(200);
    const timeline = await (await fetch(`${server.url}/api/v1/agents/page_first/timeline`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json();
    expect(timeline.events.map((e: { kind: string }) => e.kind)).toEqual(["tool_call", "llm_call"]);
    expect(timeline.events[1].leak).toBeTruthy();
    const agents = await (await fetch(`${server.url}/api/v1/agents`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json();
    expect(agents.agents).toEqual([expect.objectContaining({ agent_id: "page_first", intercepts: 2, leaks: 1 })]);
    expect(server.output()).not.toMatch(/insertRows on SQLite needs/);
  });

  it("the ingest worker is one per process: started once, used after a page view", async () => {
    await fetch(`${server.url}/handoffs`);
    const res = await ingest(server.url, { records: [{ ...records[0], id: "pf-3", created_at: at(2) }] });
    expect(res.status).toBe(200);
    expect(server.output().match(/ingest worker ready/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });

  it("after a failed request (bad key, then bad body), the next valid ingest is stored", async () => {
    await fetch(`${server.url}/agents`);
    expect((await ingest(server.url, { records }, "wrong-key")).status).toBe(401);
    expect((await ingest(server.url, { nope: 1 })).status).toBe(400);
    const res = await ingest(server.url, { records: [{ ...records[0], id: "pf-4", created_at: at(3) }] });
    expect(await res.json()).toMatchObject({ accepted: 1 });
  });
});
