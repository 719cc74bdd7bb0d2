// The scheduled retention job in real servers: two `next start` processes on one database,
// each running its job every second; old records go once (no double deletion, one log row),
// the held CAUGHT handoff stays, and the pages show the gap and the log.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { TEST_KEY } from "../support/http";
import { startServer, type ServerProcess } from "../support/server";
import { num, query } from "@/lib/db/sql";
import type { Db, Tx } from "@/lib/db/client";

const DAY = 86_400_000;
const ago = (days: number, s = 0) => new Date(Date.now() - days * DAY + s * 1000).toISOString();
const OPENAI = "https://api.openai.com/v1/chat/completions";
const WEATHER = "https://api.open-meteo.com/v1/forecast?current=temperature_2m";
const call = (id: string, agent: string, action: string, url: string, at: string) => ({
  type: "intercept", id, source: "srv", agent_id: agent, action_name: action, source_url: url, request_payload: { url, method: "GET" }, raw_response: { current: { temperature_2m: 4.2 } }, created_at: at,
});
const records = [
  ...Array.from({ length: 40 }, (_, i) => call(`old-${i}`, "aging_agent", "fetch_weather", WEATHER, ago(60, i))),
  call("new-1", "aging_agent", "fetch_weather", WEATHER, ago(1)),
  call("c2", "caught_agent", "fetch_weather", WEATHER, ago(60, 1)),
  call("c3", "caught_agent", "fetch_weather", OPENAI, ago(60, 2)),
  {
    type: "handoff", id: "h1", source: "srv", agent_id: "caught_agent", created_at: ago(60, 4),
    payload: { task: "t", claims: [{ action_name: "fetch_weather", claimed_value: 4.2, verification_mode: "field_extraction", json_path: "$.current.temperature_2m", query_record_id: "c3", request_payload: { url: OPENAI } }], trusted_endpoint_registry: [WEATHER], handoff_contract_version: "2.0" },
    evaluation: { outcome: "CAUGHT", per_claim: [], errors: [] },
  },
];

describe.each(DIALECTS)("the retention job in two servers on %s", (dialect) => {
  let db: Db;
  let a: ServerProcess | undefined;
  let b: ServerProcess | undefined;
  const auth = { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" };

  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
    const env = { VERDICT_RETENTION_DAYS: "30", VERDICT_RETENTION_INTERVAL_SECONDS: "1" };
    [a, b] = await Promise.all([startServer(process.env.DATABASE_URL!, TEST_KEY, undefined, env), startServer(process.env.DATABASE_URL!, TEST_KEY, undefined, env)]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  it("deletes the old records once, keeps the CAUGHT handoff's evidence, and the pages show the gap", async () => {
    const settingsFirst = await fetch(`${a!.url}/settings`);
    expect(settingsFirst.status).toBe(200);
    expect(await settingsFirst.text()).toContain("Nothing has been deleted.");
    const res = await fetch(`${b!.url}/api/v1/ingest`, { method: "POST", headers: auth, body: JSON.stringify({ records }) });
    expect(res.status, await res.clone().text()).toBe(200);
    const left = async () => num((await query<{ n: unknown }>(db as unknown as Tx, dialect, `SELECT COUNT(*) AS n FROM "intercepts" WHERE "agent_id" = 'aging_agent'`))[0].n);
    for (let i = 0; i < 200 && (await left()) > 1; i++) await new Promise((r) => setTimeout(r, 100));
    expect(await left()).toBe(1);
    // Both jobs keep running every second; give them a few more passes.
    await new Promise((r) => setTimeout(r, 3000));
    const log = (await (await fetch(`${a!.url}/api/v1/deletions`, { headers: auth })).json()).deletions;
    expect(log, JSON.stringify(log)).toHaveLength(1);
    expect(log[0]).toMatchObject({ actor: "retention", status: "done", counts: { intercepts: 40, policy_decisions: 0, handoffs: 0 }, held: 3 });
    const stones = await query<{ n: unknown; d: unknown }>(db as unknown as Tx, dialect, `SELECT COUNT(*) AS n, COUNT(DISTINCT "record_id") AS d FROM "tombstones"`);
    expect([num(stones[0].n), num(stones[0].d)]).toEqual([40, 40]);
    expect(num((await query<{ n: unknown }>(db as unknown as Tx, dialect, `SELECT COUNT(*) AS n FROM "intercepts" WHERE "agent_id" = 'caught_agent'`))[0].n)).toBe(2);

    const day = new Date().toISOString().slice(0, 10);
    const agentPage = await (await fetch(`${b!.url}/agents/aging_agent`)).text();
    expect(agentPage).toContain(`40 records deleted by retention on ${day}`);
    const overview = await (await fetch(`${a!.url}/`)).text();
    expect(overview).toContain(`40 records deleted by retention on ${day}`);
    const settings = await (await fetch(`${a!.url}/settings`)).text();
    expect(settings).toContain("set by VERDICT_RETENTION_DAYS");
    expect(settings).toMatch(/retention \(default: 30 days\)/);
  }, 60_000);
});
