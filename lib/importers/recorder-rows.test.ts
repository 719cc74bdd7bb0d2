import { describe, expect, it } from "vitest";
import { interceptRowToRecord, overallOutcome, traceToHandoff } from "./recorder-rows";
import { validateRecord } from "../ingest/validate";

describe("interceptRowToRecord", () => {
  it("keeps the recorder's columns, drops NULLs and keeps unknown columns aside", () => {
    const r = interceptRowToRecord({ id: 7, agent_id: "a", action_name: "t", source_url: "https://x.example/", request_payload: '{"url": "https://x.example/", "method": "GET"}', raw_response: null, created_at: "2026-11-20T10:00:00.123456", intercept_index: "3", tenant: "acme" }, "prod");
    expect(r).toEqual({ type: "intercept", source: "prod", id: 7, agent_id: "a", action_name: "t", source_url: "https://x.example/", request_payload: '{"url": "https://x.example/", "method": "GET"}', created_at: "2026-11-20T10:00:00.123456", intercept_index: 3, recorder_columns: { tenant: "acme" } });
    expect(validateRecord(r, 0)).toMatchObject({ type: "intercept", row: { sourceId: "7", generation: "A", ts: 1795168800123456 } });
  });
});

describe("traceToHandoff", () => {
  const trace = { id: "9f1c0000-0000-4000-8000-000000000001", created_at: "2026-11-20T10:05:00", agent_id: "researcher", run_id: "run-9", task: "count docs" };
  const claimRows = [
    { id: 2, trace_id: trace.id, call_ref: "ref-1", json_path: "$.top.title", claimed_value: "Doc 1", indexed_value: '"Doc 2"', result: "CAUGHT", detail: "value mismatch", intercept_id: "i-1" },
    { id: 1, trace_id: trace.id, call_ref: "ref-1", json_path: "$.hits", claimed_value: "4", indexed_value: "4", result: "PASS", intercept_id: "i-1" },
  ];

  it("turns a trace and its per-claim rows into a handoff with the recorder's evaluation", () => {
    const h = traceToHandoff(trace, claimRows, "default");
    expect(h).toMatchObject({ type: "handoff", id: trace.id, agent_id: "researcher", payload: { run_id: "run-9", task: "count docs", query_record_ids: ["i-1"], handoff_contract_version: "call_ref" } });
    expect((h.payload as { claims: unknown[] }).claims).toEqual([{ call_ref: "ref-1", action_name: null, verification_mode: null, claimed_values: [{ path: "$.hits", value: "4" }, { path: "$.top.title", value: "Doc 1" }] }]);
    const ev = h.evaluation as { outcome: string; per_claim: Record<string, unknown>[] };
    expect(ev.outcome).toBe("CAUGHT");
    expect(ev.per_claim.map((p) => p.json_path)).toEqual(["$.hits", "$.top.title"]); // by id when no created_at
    expect(ev.per_claim[1]).toMatchObject({ claimed: "Doc 1", indexed: "Doc 2", result: "CAUGHT", detail: "value mismatch", query_record_id: "i-1", call_ref: "ref-1" });
    expect(validateRecord(h, 0)).toMatchObject({ type: "handoff", row: { generation: "call_ref", claimCount: 2, evaluatorOutcome: "CAUGHT" } });
  });

  it("prefers the stored payload and outcome, and leaves evaluation out when there is none", () => {
    const stored = { ...trace, payload: JSON.stringify({ run_id: "r", claims: [{ action_name: "x", claimed_value: 1 }] }), outcome: "pass" };
    const h = traceToHandoff(stored, [], "s");
    expect(h.payload).toMatchObject({ run_id: "r", task: "count docs", claims: [{ action_name: "x", claimed_value: 1 }] });
    expect(h.evaluation).toEqual({ outcome: "PASS", per_claim: [], errors: [] });
    expect(traceToHandoff(trace, [], "s").evaluation).toBeUndefined();
  });

  it("uses the evaluator's rule for the overall outcome", () => {
    expect(overallOutcome(["PASS", "ERROR", "CAUGHT"])).toBe("CAUGHT");
    expect(overallOutcome(["PASS", "error"])).toBe("ERROR");
    expect(overallOutcome([])).toBe("PASS");
  });
});

describe("sourcerykit 1.0.1 traces (traces + trace_intercepts as its schema creates them)", () => {
  const REF = "a1f4c2e8-3b6d-4c0a-9e7f-1d2b3c4d5e60";
  const trace = { id: "9f1c0000-0000-4000-8000-000000000001", task: "What is the temperature in Oslo?", created_at: "2026-11-20T10:00:02+00:00" };
  const tiRow = (id: string, outcome: string | null, details: string | null, agent = "weather_agent") => ({
    id, trace_id: trace.id, intercept_id: `int-${id}`, query_id: `q-${id}`, verification_mode: "field_extraction",
    claimed_value: JSON.stringify([{ path: "$.current.temperature_2m", value: "4.2", sourcerykit_ref: REF }]),
    outcome, details, created_at: `2026-11-20T10:00:0${id}+00:00`, updated_at: null,
    intercept: { agent_id: agent, action_name: "get_weather", call_ref: REF },
  });

  it("reads claims from claimed_value with their paths, keeps details, and points each at intercept_id; the agent is the intercepts'", () => {
    const r = traceToHandoff(trace, [tiRow("2", "CAUGHT", "value at $.x differs"), tiRow("1", "PASS", "")], "rec");
    expect(r.agent_id).toBe("weather_agent");
    const p = r.payload as { claims: Record<string, unknown>[]; task: string };
    expect(p.task).toBe(trace.task);
    expect(p.claims[0]).toEqual({
      trace_intercept_id: "1", action_name: "get_weather", call_ref: REF, claimed_value: [{ path: "$.current.temperature_2m", value: "4.2", sourcerykit_ref: REF }],
      query_id: "q-1", verification_mode: "field_extraction", json_path: "", intercept_id: "int-1",
    });
    expect(r.evaluation).toMatchObject({ outcome: "CAUGHT", errors: [] });
    expect((r.evaluation as { per_claim: { detail: string }[] }).per_claim.map((c) => c.detail)).toEqual(["", "value at $.x differs"]);
  });
  it("a NULL outcome (the evaluator raised) is NOT_EVALUATED, never PASS", () => {
    const r = traceToHandoff(trace, [tiRow("1", "PASS", ""), tiRow("2", null, null)], "rec");
    expect(r.evaluation).toMatchObject({ outcome: "NOT_EVALUATED", error: expect.stringContaining("outcome is NULL on 1 of 2") });
    expect(traceToHandoff(trace, [], "rec").evaluation).toMatchObject({ outcome: "NOT_EVALUATED" });
  });
  it("verification_failed details are evaluator errors: ERROR before CAUGHT, as 1.0.1 counts them", () => {
    const r = traceToHandoff(trace, [tiRow("1", "CAUGHT", "verification_failed: proof rejected"), tiRow("2", "CAUGHT", "")], "rec");
    expect(r.evaluation).toMatchObject({ outcome: "ERROR", errors: ["verification_failed: proof rejected"] });
    expect((r.evaluation as { per_claim: unknown[] }).per_claim).toHaveLength(1);
  });
});
