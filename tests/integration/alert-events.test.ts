// What ingest writes to the alert outbox, in the records' own transaction: leaks, BLOCK
// decisions, CAUGHT verdicts with their category, disagreements; nothing without a rule.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import * as f from "../fixtures/records";
import type { Db } from "@/lib/db/client";
import { createAlertRule, removeAlertRule } from "@/lib/alerts/service";

const post = async (records: unknown[]) => {
  const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
  expect(res.status, await res.clone().text()).toBe(200);
};

type EventRow = { kind: string; agent_id: string; source: string; category: string | null; record_id: string; detail: string };
const events = (db: Db) =>
  db.$queryRawUnsafe<EventRow[]>(`SELECT "kind", "agent_id", "source", "category", "record_id", "detail" FROM "alert_events" ORDER BY "kind", "record_id"`);

describe.each(DIALECTS)("alert outbox on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    process.env.VERDICT_WEBHOOKS_ALLOW_HTTP = "1";
    ({ db } = await useFreshDatabase(dialect));
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
    delete process.env.VERDICT_WEBHOOKS_ALLOW_HTTP;
  });

  it("writes nothing while no rule exists", async () => {
    await post([f.genAToolCall, f.genALeakedLlmCall, f.edgePolicyDecision, f.handoffRecord]);
    expect(await events(db)).toEqual([]);
    expect(await db.intercept.count({ where: { isLeak: true } })).toBe(1); // the leak was there
  });

  it("writes leaks, blocks, CAUGHT verdicts with their category, and disagreements once a rule exists", async () => {
    const rule = await createAlertRule({ name: "all", events: ["leak", "caught", "block", "disagreement"], destination: { type: "webhook", url: "http://127.0.0.1:9/none" } });
    const leakAgent = "alerts-agent";
    await post([
      { ...f.genAToolCall, id: 201, agent_id: leakAgent },
      { ...f.genALeakedLlmCall, id: 202, agent_id: leakAgent },
      { ...f.edgePolicyDecision, id: "pd-2" },
      { ...f.legacyPolicyDecision, id: "pd-pass" },
      // rests on the leaked LLM call: CAUGHT for a cause of the instrumentation; the evaluator agrees
      { ...f.handoffRecord, id: "h-leak", agent_id: leakAgent, payload: { ...f.handoffRecord.payload, query_record_ids: [202], claims: [{ ...f.handoffRecord.payload.claims[0], query_record_id: 202 }] } },
      // the evaluator said PASS, Verdict finds the value wrong: CAUGHT (agent) and a disagreement
      { ...f.handoffRecord, id: "h-value", agent_id: leakAgent, evaluation: { outcome: "PASS", per_claim: [], errors: [] }, payload: { ...f.handoffRecord.payload, query_record_ids: [201], claims: [{
        action_name: "fetch_weather", claimed_value: 9.9, request_payload: { url: f.genAToolCall.source_url }, response_payload: {}, query_record_id: 201, verification_mode: "field_extraction", json_path: "$.temp_c",
      }] } },
    ]);
    const rows = await events(db);
    const ids = Object.fromEntries((await db.intercept.findMany({ where: { agentId: leakAgent } })).map((r) => [r.sourceId, r.id]));
    const hofs = Object.fromEntries((await db.handoff.findMany({ where: { agentId: leakAgent } })).map((r) => [r.sourceId, r.id]));
    const pd = await db.policyDecision.findFirstOrThrow({ where: { sourceId: "pd-2" } });
    expect(rows.map(({ detail: _d, ...r }) => r)).toEqual([
      { kind: "block", agent_id: "mailer", source: pd.source, category: null, record_id: pd.id },
      { kind: "caught", agent_id: leakAgent, source: expect.any(String), category: hofs["h-leak"] < hofs["h-value"] ? "instrumentation" : "agent", record_id: [hofs["h-leak"], hofs["h-value"]].sort()[0] },
      { kind: "caught", agent_id: leakAgent, source: expect.any(String), category: hofs["h-leak"] < hofs["h-value"] ? "agent" : "instrumentation", record_id: [hofs["h-leak"], hofs["h-value"]].sort()[1] },
      { kind: "disagreement", agent_id: leakAgent, source: expect.any(String), category: null, record_id: hofs["h-value"] },
      { kind: "leak", agent_id: leakAgent, source: expect.any(String), category: null, record_id: ids["202"] },
    ]);
    const leak = JSON.parse(rows.find((r) => r.kind === "leak")!.detail);
    expect(leak).toMatchObject({ path: `/intercepts/${ids["202"]}`, tool_intercept_id: ids["201"], action_name: "fetch_weather" });
    expect(JSON.parse(rows.find((r) => r.kind === "block")!.detail).path).toBe(`/policy/calls/${pd.callKey}`);

    // The same records again (duplicates) raise nothing new.
    await post([{ ...f.genAToolCall, id: 201, agent_id: leakAgent }, { ...f.genALeakedLlmCall, id: 202, agent_id: leakAgent }, { ...f.edgePolicyDecision, id: "pd-2" }]);
    expect(await events(db)).toHaveLength(rows.length);

    // A category rule is a routing filter; the outbox holds the category for it.
    await removeAlertRule(rule.id);
    await post([{ ...f.genAToolCall, id: 301, agent_id: "after-delete" }, { ...f.genALeakedLlmCall, id: 302, agent_id: "after-delete" }]);
    expect(await events(db)).toHaveLength(rows.length); // no rule left: nothing written
  });

  it("raises one block alert per blocked tool call, however many of its edges said BLOCK", async () => {
    const rule = await createAlertRule({ name: "blocks", events: ["block"], destination: { type: "webhook", url: "http://127.0.0.1:9/none" } });
    const before = (await events(db)).filter((e) => e.kind === "block").length;
    const edge = (id: string, at: string, target: string) => ({
      ...f.edgePolicyDecision, id, created_at: at, context: { ...f.edgePolicyDecision.context, grounding: { agent_id: "three-edges", resolved_concepts: ["email"] },
        triggering_edge: { ...f.edgePolicyDecision.context.triggering_edge, target_name: target } },
    });
    // One gate evaluation of one send_email call, BLOCK recorded on three edges.
    await post([edge("e-1", "2026-11-21T08:00:00.010Z", "ExternalEmail"), edge("e-2", "2026-11-21T08:00:00.020Z", "Finance"), edge("e-3", "2026-11-21T08:00:00.030Z", "PII")]);
    const blocks = (await events(db)).filter((e) => e.kind === "block" && e.agent_id === "three-edges");
    expect(blocks).toHaveLength(1);
    expect(await db.policyDecision.count({ where: { agentId: "three-edges", blocksCall: true } })).toBe(1);
    // A decision of the same evaluation that arrives late, earlier in time: the call is still
    // one blocked call (its mark moves to the earliest invocation) and nobody is told twice.
    await post([edge("e-0", "2026-11-21T08:00:00.005Z", "Audit")]);
    expect((await events(db)).filter((e) => e.kind === "block" && e.agent_id === "three-edges")).toHaveLength(1);
    expect(await db.policyDecision.count({ where: { agentId: "three-edges", blocksCall: true } })).toBe(1);
    // A second call, blocked a minute later: a second alert.
    await post([edge("e-9", "2026-11-21T08:01:00.000Z", "ExternalEmail")]);
    expect((await events(db)).filter((e) => e.kind === "block").length - before).toBe(2);
    await removeAlertRule(rule.id);
  });

  it("stores a batch and its alerts together or not at all", async () => {
    const rule = await createAlertRule({ name: "leaks", events: ["leak"], destination: { type: "webhook", url: "http://127.0.0.1:9/none" } });
    const before = (await events(db)).length;
    // The outbox write fails (a real trigger in the database): the records go with it.
    if (dialect === "sqlite") {
      await db.$executeRawUnsafe(`CREATE TRIGGER boom BEFORE INSERT ON "alert_events" WHEN NEW."agent_id" = 'atomic' BEGIN SELECT RAISE(ABORT, 'outbox refused'); END`);
    } else {
      await db.$executeRawUnsafe(`CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.agent_id = 'atomic' THEN RAISE EXCEPTION 'outbox refused'; END IF; RETURN NEW; END $$`);
      await db.$executeRawUnsafe(`CREATE TRIGGER boom BEFORE INSERT ON "alert_events" FOR EACH ROW EXECUTE FUNCTION boom()`);
    }
    const batch = [{ ...f.genAToolCall, id: 401, agent_id: "atomic" }, { ...f.genALeakedLlmCall, id: 402, agent_id: "atomic" }];
    const res = await ingest(jsonRequest("/api/v1/ingest", { records: batch }), noParams);
    expect(res.status).toBe(500);
    expect(await db.intercept.count({ where: { agentId: "atomic" } })).toBe(0);
    expect(await events(db)).toHaveLength(before);
    await db.$executeRawUnsafe(dialect === "sqlite" ? `DROP TRIGGER boom` : `DROP TRIGGER boom ON "alert_events"`);
    // The client's retry stores both.
    await post(batch);
    expect(await db.intercept.count({ where: { agentId: "atomic" } })).toBe(2);
    expect((await events(db)).filter((e) => e.agent_id === "atomic").map((e) => e.kind)).toEqual(["leak"]);
    await removeAlertRule(rule.id);
  });
});
