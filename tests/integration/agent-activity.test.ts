// The activity chart's buckets: sized on the middle 98% of an agent's calls, so one call days
// away from the rest does not widen every bucket until the rest is a single bar.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import type { Db } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/config";
import { agentActivity } from "@/lib/agents/service";

const T0 = Date.parse("2026-10-01T09:00:00Z");
const call = (i: number, agent: string, at: number) => ({
  type: "intercept", source: "it", id: i, agent_id: agent, action_name: "probe", source_url: "https://api.example.com/probe",
  request_payload: { url: "https://api.example.com/probe", method: "GET" }, raw_response: { ok: true }, created_at: new Date(at).toISOString(),
});

describe.each(DIALECTS)("agent activity on %s", (dialect: Dialect) => {
  let db: Db;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    const records = [
      ...Array.from({ length: 60 }, (_, i) => call(i + 1, "outlier", T0 + i * 60_000)),
      call(61, "outlier", T0 + 5 * 86_400_000),
      ...Array.from({ length: 10 }, (_, i) => call(100 + i, "few", T0 + i * 3 * 86_400_000)),
    ];
    expect((await ingest(jsonRequest("/api/v1/ingest", { records }), noParams)).status).toBe(200);
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("keeps one-minute buckets when a single call lies five days away", async () => {
    const a = await agentActivity({ db, dialect }, "outlier");
    expect(a.bucketSeconds).toBe(60);
    expect(a.buckets).toHaveLength(61);
    expect(a.buckets.reduce((s, b) => s + b.calls, 0)).toBe(61);
  });

  it("still widens buckets for an agent whose calls are all spread out", async () => {
    const a = await agentActivity({ db, dialect }, "few");
    // 27 days over at most 240 buckets: 163-minute buckets
    expect(a.bucketSeconds).toBe(Math.ceil((27 * 1440) / 240) * 60);
    expect(a.buckets).toHaveLength(10);
  });
});
