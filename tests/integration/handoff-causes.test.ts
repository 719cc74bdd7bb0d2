// Issue 17: each handoff keeps its primary cause and category, computed at ingest, refreshed
// when the intercepts it rests on arrive, and computed once at migrate for older rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import type { Db } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/config";
import { databaseConfig } from "@/lib/db/config";
import { migrate } from "@/lib/db/migrate";
import { execute, query } from "@/lib/db/sql";

export const OPENAI = "https://api.openai.com/v1/chat/completions";
export const WEATHER = "https://api.open-meteo.com/v1/forecast?latitude=59.91&longitude=10.75&current=temperature_2m";
const weather = (t: number) => ({ latitude: 59.91, current: { temperature_2m: t } });
const summary = { choices: [{ message: { role: "assistant", content: "It is 4.2 °C in Oslo." } }] };

export const intercept = (id: number, agent: string, action: string, url: string, method: string, response: unknown, at: string) => ({
  type: "intercept", id, source: "it", agent_id: agent, action_name: action, source_url: url,
  request_payload: { url, method }, raw_response: response, created_at: at,
});
export const handoff = (id: string, agent: string, claim: Record<string, unknown>, at: string, evaluation: unknown, registry = [WEATHER]) => ({
  type: "handoff", id, source: "it", agent_id: agent, created_at: at,
  payload: {
    task: `Report the temperature in Oslo (${id}).`, reasoning: "Read current.temperature_2m.",
    claims: [{ action_name: "fetch_weather", claimed_value: 4.2, verification_mode: "field_extraction", json_path: "$.current.temperature_2m", ...claim }],
    trusted_endpoint_registry: registry, handoff_contract_version: "2.0",
  },
  evaluation,
});
const caught = (errors: string[] = []) => ({ outcome: "CAUGHT", per_claim: [], errors });

/**
 * One handoff per category: a leaked tag (instrumentation), a wrong value (agent), an endpoint
 * missing from the snapshot alone (configuration), an evaluation that never finished, a PASS.
 */
export const scenario = [
  intercept(1, "leaky", "fetch_weather", WEATHER, "GET", weather(4.2), "2026-11-20T10:00:01Z"),
  intercept(2, "leaky", "fetch_weather", OPENAI, "POST", summary, "2026-11-20T10:00:02Z"),
  handoff("leak-1", "leaky", { query_record_id: 2, request_payload: { url: OPENAI, method: "POST" } }, "2026-11-20T10:00:04Z", caught([`handoff has endpoints missing from trusted snapshot: ${OPENAI}`])),
  intercept(11, "wrong", "fetch_weather", WEATHER, "GET", weather(3.9), "2026-11-20T11:00:01Z"),
  handoff("agent-1", "wrong", { query_record_id: 11, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T11:00:04Z", caught()),
  intercept(21, "stale", "fetch_weather", WEATHER, "GET", weather(4.2), "2026-11-20T12:00:01Z"),
  handoff("config-1", "stale", { query_record_id: 21, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T12:00:04Z", caught([`handoff has endpoints missing from trusted snapshot: ${WEATHER}`]), ["https://api.open-meteo.com/v1/old"]),
  intercept(31, "crashy", "fetch_weather", WEATHER, "GET", weather(4.2), "2026-11-20T13:00:01Z"),
  handoff("noeval-1", "crashy", { query_record_id: 31, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T13:00:04Z", { outcome: null, error: "evaluator raised" }),
  intercept(41, "fine", "fetch_weather", WEATHER, "GET", weather(4.2), "2026-11-20T14:00:01Z"),
  handoff("pass-1", "fine", { query_record_id: 41, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T14:00:04Z", { outcome: "PASS", per_claim: [], errors: [] }),
];

export const stored = async (db: Db, dialect: Dialect) =>
  Object.fromEntries(
    (await query<{ source_id: string; verdict_outcome: string; primary_cause: string | null; cause_category: string | null }>(db, dialect,
      `SELECT "source_id", "verdict_outcome", "primary_cause", "cause_category" FROM "handoffs" ORDER BY "source_id"`)).map((r) => [r.source_id, [r.verdict_outcome, r.primary_cause, r.cause_category]]),
  );

describe.each(DIALECTS)("handoff causes kept with each handoff on %s", (dialect) => {
  let db: Db;
  const post = async (records: unknown[]) => {
    const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
    expect(res.status).toBe(200);
  };

  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    await post(scenario);
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("stores the primary cause and its category at ingest", async () => {
    expect(await stored(db, dialect)).toEqual({
      "agent-1": ["CAUGHT", "value_mismatch", "agent"],
      "config-1": ["CAUGHT", "untrusted_endpoint", "configuration"],
      "leak-1": ["CAUGHT", "leaked_tag", "instrumentation"],
      "noeval-1": ["PASS", null, "not_evaluated"],
      "pass-1": ["PASS", null, null],
    });
  });

  it("refreshes cause and category with the outcome when the intercepts a handoff rests on arrive", async () => {
    // A tag no other agent recorded either (else: agent_id_mismatch).
    await post([handoff("late-1", "late", { action_name: "fetch_forecast", request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T15:00:05Z", caught())]);
    expect((await stored(db, dialect))["late-1"]).toEqual(["ERROR", "tool_never_ran", "instrumentation"]);
    // The tool call arrives later, with another value than the agent claimed: the agent's fault.
    await post([intercept(51, "late", "fetch_forecast", WEATHER, "GET", weather(7.5), "2026-11-20T15:00:01Z")]);
    expect((await stored(db, dialect))["late-1"]).toEqual(["CAUGHT", "value_mismatch", "agent"]);
  });

  it("computes the causes of handoffs stored before they were kept, once, at migrate", async () => {
    const before = await stored(db, dialect);
    await execute(db, dialect, `UPDATE "handoffs" SET "primary_cause" = NULL, "cause_category" = NULL, "causes_version" = 0`);
    expect(Object.values(await stored(db, dialect)).every(([, cause, category]) => cause === null && category === null)).toBe(true);
    await migrate(databaseConfig({ DATABASE_URL: process.env.DATABASE_URL }));
    expect(await stored(db, dialect)).toEqual(before);
    const [{ n }] = await query<{ n: unknown }>(db, dialect, `SELECT COUNT(*) AS "n" FROM "handoffs" WHERE "causes_version" = 0`);
    expect(Number(n)).toBe(0);
  });
});
