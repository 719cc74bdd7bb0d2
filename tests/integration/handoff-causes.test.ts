// Issue 17: each handoff keeps its primary cause and category, computed at ingest, refreshed
// when the intercepts it rests on arrive, and computed once at migrate for older rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import type { Db } from "@/lib/db/client";
import { databaseConfig } from "@/lib/db/config";
import { migrate } from "@/lib/ingest/migrate";
import { execute, query } from "@/lib/db/sql";
import { caught, handoff, intercept, scenario, stored, weather, WEATHER } from "../fixtures/handoff-causes";

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
