import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as list } from "@/app/api/v1/handoffs/route";
import { GET as detail } from "@/app/api/v1/handoffs/[id]/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY, withParams } from "../support/http";
import { contractJson } from "../support/contract";
import type { Db } from "@/lib/db/client";

const OPENAI = "https://api.openai.com/v1/chat/completions";
const WEATHER = "https://api.open-meteo.com/v1/forecast?latitude=59.91&longitude=10.75&current=temperature_2m";
const weather = { latitude: 59.91, current: { temperature_2m: 4.2 } };
const summary = { choices: [{ message: { role: "assistant", content: "It is 4.2 °C in Oslo." } }] };

const intercept = (id: number, agent: string, action: string, url: string, method: string, response: unknown, at: string) => ({
  type: "intercept", id, source: "it", agent_id: agent, action_name: action, source_url: url,
  request_payload: { url, method }, raw_response: response, created_at: at,
});
const handoff = (id: string, agent: string, claim: Record<string, unknown>, at: string, evaluation: unknown = null) => ({
  type: "handoff", id, source: "it", agent_id: agent, created_at: at,
  payload: {
    task: "Report the temperature in Oslo.", reasoning: "Read current.temperature_2m.",
    claims: [{ action_name: "fetch_weather", claimed_value: 4.2, verification_mode: "field_extraction", json_path: "$.current.temperature_2m", ...claim }],
    trusted_endpoint_registry: [WEATHER], handoff_contract_version: "2.0", integration_api_key: "ik-SECRET-handoff",
  },
  ...(evaluation ? { evaluation } : {}),
});

// The async leak: LLM plan (untagged) → tool GET → LLM summary carrying the tool's tag.
const leakScenario = [
  intercept(1, "fetch_and_claim", "unknown", OPENAI, "POST", summary, "2026-11-20T10:00:00Z"),
  intercept(2, "fetch_and_claim", "fetch_weather", WEATHER, "GET", weather, "2026-11-20T10:00:01Z"),
  intercept(3, "fetch_and_claim", "fetch_weather", OPENAI, "POST", summary, "2026-11-20T10:00:02Z"),
  handoff("caught-1", "fetch_and_claim", { query_record_id: 3, request_payload: { url: OPENAI, method: "POST" } }, "2026-11-20T10:00:04Z",
    { outcome: "CAUGHT", per_claim: [], errors: [`handoff has endpoints missing from trusted snapshot: ${OPENAI}`] }),
];
// The same run, correctly scoped: the LLM call carries its own tag.
const scopedScenario = [
  intercept(11, "scoped", "fetch_weather", WEATHER, "GET", weather, "2026-11-20T11:00:01Z"),
  intercept(12, "scoped", "llm_summarize", OPENAI, "POST", summary, "2026-11-20T11:00:02Z"),
  handoff("pass-1", "scoped", { query_record_id: 11, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T11:00:04Z", { outcome: "PASS", per_claim: [], errors: [] }),
];

describe.each(DIALECTS)("handoff analysis on %s", (dialect) => {
  let db: Db;
  const post = async (records: unknown[]) => {
    const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
    expect(res.status).toBe(200);
    await contractJson(res, "POST /api/v1/ingest");
  };
  const idOf = async (sourceId: string) => (await db.intercept.findFirstOrThrow({ where: { source: "it", sourceId } })).id;
  const handoffId = async (sourceId: string) => (await db.handoff.findFirstOrThrow({ where: { sourceId } })).id;
  const getDetail = async (id: string) => detail(getRequest(`/api/v1/handoffs/${id}`), withParams({ id }));

  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    await post([...leakScenario, ...scopedScenario]);
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("explains the CAUGHT verdict of a claim built from the leaked row as leaked_tag, naming the leaked LLM row and the tool call", async () => {
    const id = await handoffId("caught-1");
    const res = await getDetail(id);
    expect(res.status).toBe(200);
    const body = await contractJson(res, "GET /api/v1/handoffs/{id}");
    const [leaked, tool] = [await idOf("3"), await idOf("2")];
    expect(body).toMatchObject({ id, evaluator_outcome: "CAUGHT", verdict_outcome: "CAUGHT", disagrees: false, task: "Report the temperature in Oslo." });
    expect(JSON.stringify(body)).not.toContain("ik-SECRET-handoff");
    const claim = body.analysis.claims[0];
    expect(claim.resolution).toMatchObject({ intercept_id: leaked, resolved_by: "query_record_id", by_loader: leaked, tool_call_id: tool });
    expect(claim.causes).toEqual([expect.objectContaining({ code: "leaked_tag", ids: [leaked, tool], tool_intercept_id: tool })]);
    expect(claim.against_tool_call).toEqual({ intercept_id: tool, result: "PASS", detail: null });
    expect(claim.diff).toEqual([{ op: "added", path: "$.current.temperature_2m", claimed: 4.2 }]);
    expect(body.analysis.trust_gate).toMatchObject({ passed: false, missing: [OPENAI], errors: [`handoff has endpoints missing from trusted snapshot: ${OPENAI}`] });
    expect(body.intercepts[leaked]).toMatchObject({ kind: "llm_call", is_leak: true, leak_tool_intercept_id: tool });
  });

  it("finds the same scenario, correctly scoped, PASS", async () => {
    const body = await contractJson(await getDetail(await handoffId("pass-1")), "GET /api/v1/handoffs/{id}");
    expect(body).toMatchObject({ verdict_outcome: "PASS", evaluator_outcome: "PASS", disagrees: false });
    expect(body.analysis.claims[0]).toMatchObject({ result: "PASS", causes: [], value_at_path: { found: true, value: 4.2 }, diff: [] });
    expect(body.analysis.claims[0].resolution.intercept_id).toBe(await idOf("11"));
  });

  it("stores Verdict's outcome at ingest and refreshes it when the agent's intercepts arrive later", async () => {
    await post([handoff("late-1", "late_agent", { request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T12:00:05Z", { outcome: "CAUGHT", per_claim: [], errors: [] })]);
    expect((await db.handoff.findFirstOrThrow({ where: { sourceId: "late-1" } })).verdictOutcome).toBe("ERROR"); // nothing recorded yet
    await post([intercept(21, "late_agent", "fetch_weather", WEATHER, "GET", weather, "2026-11-20T12:00:01Z")]);
    expect((await db.handoff.findFirstOrThrow({ where: { sourceId: "late-1" } })).verdictOutcome).toBe("PASS");
    const rows = await contractJson(await list(getRequest("/api/v1/handoffs?agent_id=late_agent"), noParams), "GET /api/v1/handoffs");
    expect(rows.handoffs).toEqual([expect.objectContaining({ evaluator_outcome: "CAUGHT", verdict_outcome: "PASS", disagrees: true, outcome: "CAUGHT" })]);
  });

  it("lists with outcome and agent filters, newest first, and pages with a cursor", async () => {
    const caught = await contractJson(await list(getRequest("/api/v1/handoffs?outcome=CAUGHT"), noParams), "GET /api/v1/handoffs");
    expect(caught.handoffs.map((h: { source_id: string }) => h.source_id)).toEqual(["late-1", "caught-1"]);
    const page1 = await contractJson(await list(getRequest("/api/v1/handoffs?limit=2"), noParams), "GET /api/v1/handoffs");
    expect(page1.handoffs).toHaveLength(2);
    const page2 = await contractJson(await list(getRequest(`/api/v1/handoffs?limit=2&cursor=${page1.next_cursor}`), noParams), "GET /api/v1/handoffs");
    expect(page2).toMatchObject({ handoffs: [expect.objectContaining({ source_id: "caught-1" })], next_cursor: null });
    const scoped = await contractJson(await list(getRequest("/api/v1/handoffs?agent_id=scoped&outcome="), noParams), "GET /api/v1/handoffs");
    expect(scoped.handoffs.map((h: { source_id: string }) => h.source_id)).toEqual(["pass-1"]);
  });

  it("answers bad input with a 400 envelope and an unknown id with a 404", async () => {
    const bad = await list(getRequest("/api/v1/handoffs?outcome=MAYBE&limit=0"), noParams);
    expect(bad.status).toBe(400);
    expect((await contractJson(bad, "GET /api/v1/handoffs")).error.details.map((d: { path: string }) => d.path).sort()).toEqual(["limit", "outcome"]);
    expect((await list(getRequest("/api/v1/handoffs?cursor=zzz"), noParams)).status).toBe(400);
    const missing = await getDetail("hof_nope");
    expect(missing.status).toBe(404);
    expect((await contractJson(missing, "GET /api/v1/handoffs/{id}")).error.code).toBe("not_found");
  });
});
