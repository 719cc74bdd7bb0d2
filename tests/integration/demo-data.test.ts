import { describe, expect, it } from "vitest";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { loadDemoData } from "@/lib/demo/load-demo";
import { demoRecords } from "@/lib/demo/demo-records";

describe.each(DIALECTS)("demo data on %s", (dialect) => {
  it("loads through the ingest path without a rejection, and only once", async () => {
    const { db } = await useFreshDatabase(dialect);
    const total = demoRecords().length;
    const first = await loadDemoData();
    expect(first.rejected).toEqual([]);
    expect(first.accepted).toBe(total);
    const second = await loadDemoData();
    expect(second).toEqual({ accepted: 0, duplicates: total, rejected: [] });
    // the async leak scenario: every second fetch_and_claim LLM call carries the tool's tag
    expect(await db.intercept.count({ where: { agentId: "fetch_and_claim", isLeak: true } })).toBe(5);
    expect(await db.intercept.count({ where: { agentId: "weather_reporter", isLeak: true } })).toBe(0);
    expect(await db.policyDecision.count({ where: { action: "BLOCK" } })).toBeGreaterThan(0);
    expect(await db.handoff.count({ where: { evaluatorOutcome: "CAUGHT" } })).toBe(7);
  });
});
