// Issue 17 item 4: the overview's "needs attention" reads the stored category and review
// state: CAUGHT per day by category, not yet reviewed, disagreements, newest open leaks; a
// false alarm leaves the chart and the list.
import { beforeAll, afterAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import type { Db } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/config";
import { execute, query } from "@/lib/db/sql";
import { needsAttention } from "@/lib/overview/service";

const OPENAI = "https://api.openai.com/v1/chat/completions";
const WEATHER = "https://api.open-meteo.com/v1/forecast?latitude=59.91&longitude=10.75&current=temperature_2m";
const weather = (t: number) => ({ latitude: 59.91, current: { temperature_2m: t } });
const summary = { choices: [{ message: { role: "assistant", content: "It is 4.2 °C in Oslo." } }] };
const intercept = (id: number, agent: string, action: string, url: string, method: string, response: unknown, at: string) => ({
  type: "intercept", id, source: "it", agent_id: agent, action_name: action, source_url: url, request_payload: { url, method }, raw_response: response, created_at: at,
});
const handoff = (id: string, agent: string, claim: Record<string, unknown>, at: string, evaluation: unknown, registry = [WEATHER]) => ({
  type: "handoff", id, source: "it", agent_id: agent, created_at: at,
  payload: {
    task: `Report the temperature in Oslo (${id}).`, reasoning: "Read current.temperature_2m.",
    claims: [{ action_name: "fetch_weather", claimed_value: 4.2, verification_mode: "field_extraction", json_path: "$.current.temperature_2m", ...claim }],
    trusted_endpoint_registry: registry, handoff_contract_version: "2.0",
  },
  evaluation,
});
const caught = (errors: string[] = []) => ({ outcome: "CAUGHT", per_claim: [], errors });

const records = [
  // 20 Nov: a leaked tag (instrumentation) and a wrong value (agent)
  intercept(1, "leaky", "fetch_weather", WEATHER, "GET", weather(4.2), "2026-11-20T10:00:01Z"),
  intercept(2, "leaky", "fetch_weather", OPENAI, "POST", summary, "2026-11-20T10:00:02Z"),
  handoff("leak-1", "leaky", { query_record_id: 2, request_payload: { url: OPENAI, method: "POST" } }, "2026-11-20T10:00:04Z", caught([`handoff has endpoints missing from trusted snapshot: ${OPENAI}`])),
  intercept(11, "wrong", "fetch_weather", WEATHER, "GET", weather(3.9), "2026-11-20T11:00:01Z"),
  handoff("agent-1", "wrong", { query_record_id: 11, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T11:00:04Z", caught()),
  // 21 Nov: the evaluator passed what Verdict catches (a disagreement), and an untrusted endpoint (configuration)
  handoff("agent-2", "wrong", { query_record_id: 11, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-21T09:00:04Z", { outcome: "PASS", per_claim: [], errors: [] }),
  intercept(21, "stale", "fetch_weather", WEATHER, "GET", weather(4.2), "2026-11-21T12:00:01Z"),
  handoff("config-1", "stale", { query_record_id: 21, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-21T12:00:04Z", caught([`handoff has endpoints missing from trusted snapshot: ${WEATHER}`]), ["https://api.open-meteo.com/v1/old"]),
  // Long ago: outside the 14 days of the chart, still not reviewed
  intercept(31, "old", "fetch_weather", WEATHER, "GET", weather(1), "2026-09-01T12:00:01Z"),
  handoff("old-1", "old", { query_record_id: 31, request_payload: { url: WEATHER, method: "GET" } }, "2026-09-01T12:00:04Z", caught()),
];

const NOW = Date.parse("2026-11-21T18:00:00Z") * 1000;

describe.each(DIALECTS)("needs attention on %s", (dialect: Dialect) => {
  let db: Db;
  const idOf = async (sourceId: string) => (await query<{ id: string }>(db, dialect, `SELECT "id" FROM "handoffs" WHERE "source_id" = ?`, [sourceId]))[0].id;

  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
    expect(res.status).toBe(200);
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("counts CAUGHT per day by category, lists the unreviewed, the disagreements and the newest leak", async () => {
    const a = await needsAttention({ db, dialect }, NOW);
    expect(a.days).toHaveLength(14);
    expect(a.days.at(-1)!.day).toBe("2026-11-21");
    expect(a.days.at(-2)).toEqual({ day: "2026-11-20", counts: { instrumentation: 1, agent: 1 } });
    expect(a.days.at(-1)!.counts).toEqual({ configuration: 1 });
    expect(a.categories).toEqual(["agent", "instrumentation", "configuration"]);
    expect(a.unreviewed.count).toBe(4);
    expect(a.unreviewed.newest.map((h) => h.task)).toEqual([
      "Report the temperature in Oslo (config-1).", "Report the temperature in Oslo (agent-1).", "Report the temperature in Oslo (leak-1).", "Report the temperature in Oslo (old-1).",
    ]);
    expect(a.disagreements.count).toBe(1);
    expect(a.disagreements.newest[0]).toMatchObject({ evaluator_outcome: "PASS", verdict_outcome: "CAUGHT", category: "agent" });
    expect(a.leaks).toHaveLength(1);
    expect(a.leaks[0]).toMatchObject({ agent_id: "leaky", source_url: OPENAI });
  });

  it("a false alarm leaves the chart and 'not yet reviewed'; a leak marked fixed leaves the leaks", async () => {
    const leakHandoff = await idOf("leak-1");
    // What the review workflow writes (t17-core): the history row and the handoff's newest state.
    await execute(db, dialect, `INSERT INTO "reviews" ("id", "subject_type", "subject_id", "state", "note", "actor", "created_at", "ts") VALUES (?, 'handoff', ?, 'false_alarm', NULL, 'admin', ?, ?)`,
      ["r1", leakHandoff, "2026-11-21T17:00:00Z", NOW - 3_600_000_000]);
    await execute(db, dialect, `UPDATE "handoffs" SET "review_state" = 'false_alarm' WHERE "id" = ?`, [leakHandoff]);
    const leakId = (await needsAttention({ db, dialect }, NOW)).leaks[0].id;
    await execute(db, dialect, `INSERT INTO "reviews" ("id", "subject_type", "subject_id", "state", "note", "actor", "created_at", "ts") VALUES (?, 'intercept', ?, 'fixed', NULL, 'admin', ?, ?)`,
      ["r2", leakId, "2026-11-21T17:00:00Z", NOW - 3_600_000_000]);

    const a = await needsAttention({ db, dialect }, NOW);
    expect(a.days.at(-2)!.counts).toEqual({ agent: 1 });
    expect(a.unreviewed.count).toBe(3);
    expect(a.unreviewed.newest.map((h) => h.id)).not.toContain(leakHandoff);
    expect(a.leaks).toEqual([]);

    // Reopened (a newer review says confirmed): the leak is back.
    await execute(db, dialect, `INSERT INTO "reviews" ("id", "subject_type", "subject_id", "state", "note", "actor", "created_at", "ts") VALUES (?, 'intercept', ?, 'confirmed', NULL, 'admin', ?, ?)`,
      ["r3", leakId, "2026-11-21T17:30:00Z", NOW - 1_800_000_000]);
    expect((await needsAttention({ db, dialect }, NOW)).leaks.map((l) => l.id)).toEqual([leakId]);
  });
});
