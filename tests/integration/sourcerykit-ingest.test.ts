// sourcerykit 1.0.1 (generation B) through POST /api/v1/ingest exactly as the library writes
// it: the intercepts rows, HandoffPayload.model_dump() and evaluate_handoff's returned dict
// (tests/fixtures/sourcerykit-1.0.1.ts), on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as list } from "@/app/api/v1/handoffs/route";
import { GET as detail } from "@/app/api/v1/handoffs/[id]/route";
import { GET as interceptDetail } from "@/app/api/v1/intercepts/[id]/route";
import { GET as timeline } from "@/app/api/v1/agents/[agentId]/timeline/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY, withParams } from "../support/http";
import { contractJson } from "../support/contract";
import type { Db } from "@/lib/db/client";
import { AGENT, BERGEN, claim, interceptRecords, OPENAI, payload, perClaim, REF_CLEAN, REF_LEAK, REGISTRY, ROWS } from "../fixtures/sourcerykit-1.0.1";

const SRC = "sk";
const at = (s: string) => `2026-11-20T10:${s}Z`;
const handoff = (id: string, p: unknown, evaluation?: unknown, created = at("10:00")) => ({
  type: "handoff", id, source: SRC, agent_id: AGENT, created_at: created, payload: p, ...(evaluation !== undefined ? { evaluation } : {}),
});

const leakClaim = claim(REF_LEAK, [{ path: "$.current.temperature_2m", value: "4.2" }]);
const passClaim = claim(REF_CLEAN, [{ path: "$.current.temperature_2m", value: "7.9" }]);
const caughtClaim = claim(REF_CLEAN, [{ path: "$.current.temperature_2m", value: "9.9" }]);
const BUILD_ERROR = "claim 'get_weather' dropped: claim missing required sourcerykit_ref";

const records = [
  ...interceptRecords(SRC),
  // The evaluator's loader reads the first row of REF_LEAK, the geocoding LLM call: its
  // _get_by_json_path raises KeyError('current') and evaluate_handoff raises (no dict, outcome NULL).
  handoff("h-leak", payload([leakClaim]), { outcome: null, error: "KeyError: 'current'" }),
  handoff("h-pass", payload([passClaim]), { outcome: "PASS", per_claim: [perClaim(passClaim, BERGEN, "PASS")], errors: [] }),
  handoff("h-caught", payload([caughtClaim]), { outcome: "CAUGHT", per_claim: [perClaim(caughtClaim, BERGEN, "CAUGHT")], errors: [] }),
  // main: build_errors are evaluator errors, and errors come before CAUGHT.
  handoff("h-build-errors", payload([caughtClaim], "main", [BUILD_ERROR]), { outcome: "ERROR", per_claim: [perClaim(caughtClaim, BERGEN, "CAUGHT")], errors: [BUILD_ERROR] }),
  // Every claim dropped at build: zero verified is ERROR.
  handoff("h-empty", payload([]), { outcome: "ERROR", per_claim: [], errors: [] }),
  // A claim carrying a URL under a registry prefix: 1.0.1 matches LIKE prefix%, so this passes its gate.
  handoff("h-prefix", payload([{ ...passClaim, request_payload: { url: OPENAI } }])),
  // ...and one outside every prefix: the gate fails, CAUGHT with per_claim empty.
  handoff("h-untrusted", payload([{ ...passClaim, request_payload: { url: "https://evil.example/v1/x" } }]),
    { outcome: "CAUGHT", per_claim: [], errors: ["trust gate: handoff has untrusted endpoints: https://evil.example/v1/x"] }),
];

describe.each(DIALECTS)("sourcerykit 1.0.1 through ingest on %s", (dialect) => {
  let db: Db;
  const handoffId = async (sourceId: string) => (await db.handoff.findFirstOrThrow({ where: { sourceId } })).id;
  const idOf = async (sourceId: string) => (await db.intercept.findFirstOrThrow({ where: { source: SRC, sourceId } })).id;
  const getDetail = async (sourceId: string) => {
    const id = await handoffId(sourceId);
    const res = await detail(getRequest(`/api/v1/handoffs/${id}`), withParams({ id }));
    expect(res.status).toBe(200);
    return contractJson(res, "GET /api/v1/handoffs/{id}");
  };

  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
    const body = await res.json();
    expect(body.rejected).toEqual([]);
    expect(res.status).toBe(200);
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("accepts every record as written, stores generation B, and never the integration key", async () => {
    expect(await db.intercept.count({ where: { source: SRC } })).toBe(4);
    const h = await db.handoff.findFirstOrThrow({ where: { sourceId: "h-pass" } });
    expect(h).toMatchObject({ generation: "B", claimCount: 1, evaluatorOutcome: "PASS", verdictOutcome: "PASS", task: "Handoff verification via evaluate_url." });
    expect(h.payload).not.toContain("pvk_live_SECRET");
    expect(JSON.parse(h.payload).claims[0].claimed_value).toEqual(passClaim.claimed_value);
  });

  it("flags LLM calls sharing the tool call's call_ref as leaks, before and after its fetch, and counts them", async () => {
    const [before, tool, after] = [await idOf(ROWS.llmBefore.id), await idOf(ROWS.tool.id), await idOf(ROWS.llmAfter.id)];
    for (const id of [before, after]) {
      expect(await db.intercept.findUniqueOrThrow({ where: { id } })).toMatchObject({ kind: "llm_call", isLeak: true, leakToolId: tool });
    }
    expect(Number((await db.agentStats.findUniqueOrThrow({ where: { agentId: AGENT } })).leaks)).toBe(2);
    const res = await interceptDetail(getRequest(`/api/v1/intercepts/${before}`), withParams({ id: before }));
    const body = await contractJson(res, "GET /api/v1/intercepts/{id}");
    expect(body.leak.tool_intercept_id).toBe(tool);
    expect(body.leak.reason).toContain(`carries call_ref ${REF_LEAK}`);
    expect(body.leak.reason).toContain("before the tool's fetch");
    const tl = await contractJson(await timeline(getRequest(`/api/v1/agents/${AGENT}/timeline?leaks_only=true`), withParams({ agentId: AGENT })), "GET /api/v1/agents/{agent_id}/timeline");
    expect(tl.events.map((e: { id: string }) => e.id).sort()).toEqual([before, after].sort());
    expect(tl.events.every((e: { leak: { tool_intercept_id: string } }) => e.leak.tool_intercept_id === tool)).toBe(true);
  });

  it("a claim resting on the LLM row that shares the call_ref: NOT_EVALUATED by the evaluator, CAUGHT by Verdict, with the cause and 'the claim holds' against the tool row", async () => {
    const body = await getDetail("h-leak");
    const [before, tool, after] = [await idOf(ROWS.llmBefore.id), await idOf(ROWS.tool.id), await idOf(ROWS.llmAfter.id)];
    expect(body).toMatchObject({ evaluator_outcome: "NOT_EVALUATED", outcome: "NOT_EVALUATED", verdict_outcome: "CAUGHT", disagrees: false });
    expect(body.analysis.rules).toBe("B");
    const c = body.analysis.claims[0];
    expect(c.resolution).toMatchObject({ intercept_id: before, resolved_by: "call_ref", tool_call_id: tool, call_ref_rows: [before, tool, after] });
    expect(c.resolution.disagreements[0]).toContain(`3 recorded rows carry call_ref ${REF_LEAK}`);
    expect(c.against_tool_call).toMatchObject({ intercept_id: tool, result: "PASS" });
    expect(c.causes[0]).toMatchObject({ code: "shared_call_ref", ids: [before, tool], tool_intercept_id: tool });
    expect(c.causes[0].explanation).toContain("before the tool's own fetch");
    expect(c.causes[0].explanation).toContain(`Checked against the tool row ${tool}, the claim holds.`);
    // 1.0.1's claims carry no URL: the evaluator gates nothing; Verdict's own prefix check passes the OpenAI row.
    expect(body.analysis.trust_gate).toMatchObject({ rule: "prefix", checked: false, passed: true });
    expect(body.analysis.verdict_trust_check).toMatchObject({ rule: "prefix", passed: true, snapshot: REGISTRY });
    expect(c.trust_gate).toEqual({ url: "https://api.openai.com/v1/chat/completions", passed: true, checked_by: "verdict" });
  });

  it("follows 1.0.1's outcome rules and matches the evaluator's own results", async () => {
    const outcomes = Object.fromEntries(
      await Promise.all(["h-pass", "h-caught", "h-build-errors", "h-empty", "h-prefix", "h-untrusted"].map(async (s) => [s, (await getDetail(s)).analysis.outcome])),
    );
    expect(outcomes).toEqual({ "h-pass": "PASS", "h-caught": "CAUGHT", "h-build-errors": "ERROR", "h-empty": "ERROR", "h-prefix": "PASS", "h-untrusted": "CAUGHT" });
    const caught = await getDetail("h-caught");
    expect(caught.disagrees).toBe(false);
    expect(caught.analysis.claims[0].causes.map((c: { code: string }) => c.code)).toEqual(["value_mismatch"]);
    expect(caught.analysis.claims[0].entries).toEqual([{ path: "$.current.temperature_2m", value: "9.9", sourcerykit_ref: REF_CLEAN, recorded: 7.9, found: true, equal: false }]);
    const untrusted = await getDetail("h-untrusted");
    expect(untrusted.analysis.trust_gate).toMatchObject({ rule: "prefix", passed: false, errors: ["handoff has untrusted endpoints: https://evil.example/v1/x"] });
    expect((await getDetail("h-build-errors")).analysis.errors).toEqual([BUILD_ERROR]);
  });

  it("lists NOT_EVALUATED as its own outcome and filters by it", async () => {
    const res = await list(getRequest("/api/v1/handoffs?outcome=NOT_EVALUATED"), noParams);
    expect(res.status).toBe(200);
    const body = await contractJson(res, "GET /api/v1/handoffs");
    expect(body.handoffs.map((h: { source_id: string }) => h.source_id)).toEqual(["h-leak"]);
    const pass = await contractJson(await list(getRequest("/api/v1/handoffs?outcome=PASS"), noParams), "GET /api/v1/handoffs");
    expect(pass.handoffs.map((h: { source_id: string }) => h.source_id).sort()).toEqual(["h-pass", "h-prefix"]);
  });
});
