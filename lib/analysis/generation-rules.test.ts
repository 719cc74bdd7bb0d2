// One test per outcome rule and per resolution rule of each generation (docs/records.md,
// docs/records.md): A = provably-sdk 0.2.0 / contract 2.0, B = sourcerykit 1.0.1.
import { describe, expect, it } from "vitest";
import { analyzeHandoff, resolveOutcome } from "./handoff-analysis";
import { readClaims, resolveClaim } from "./claims";
import { applySourcerykitMode, getByJsonPath } from "./sourcerykit-modes";
import { checkTrustGate, sanitizeTrustedUrl, sqlLike } from "./trust-gate";
import { call, handoff, llm, OPENAI, weather, WEATHER, weatherClaim } from "./handoff-fixtures.test-helpers";
import type { Json } from "../records/json";

const REF = "a1f4c2e8-3b6d-4c0a-9e7f-1d2b3c4d5e60";
const bClaim = (value: string, over: Record<string, Json> = {}): Record<string, Json> => ({
  trace_intercept_id: "t1", action_name: "fetch_weather", call_ref: REF,
  claimed_value: [{ path: "$.current.temperature_2m", value, sourcerykit_ref: REF }],
  request_payload: {}, query_id: "q1", verification_mode: "field_extraction", json_path: "", range_min: null, range_max: null, ...over,
});
const bPayload = (claims: Record<string, Json>[], extra: Record<string, Json> = {}) => ({ contract_version: "2.0", query_ids: [], trusted_endpoint_registry: ["https://api.weather.example/v1"], claims, ...extra });

describe("outcome rules, generation A (contract 2.0)", () => {
  it("any CAUGHT wins over ERROR", () => expect(resolveOutcome("A", ["ERROR", "CAUGHT", "PASS"], { gatePassed: true, errors: [] })).toBe("CAUGHT"));
  it("else any ERROR", () => expect(resolveOutcome("A", ["PASS", "ERROR"], { gatePassed: true, errors: [] })).toBe("ERROR"));
  it("no claims is PASS", () => expect(resolveOutcome("A", [], { gatePassed: true, errors: [] })).toBe("PASS"));
  it("a trust-gate failure is CAUGHT", () => expect(resolveOutcome("A", ["PASS"], { gatePassed: false, errors: [] })).toBe("CAUGHT"));
  it("end to end: the snapshot is matched exactly (a deeper path is missing), and placeholders match", () => {
    const deeper = analyzeHandoff(handoff([weatherClaim({ query_record_id: "1" })], { registry: ["https://api.weather.example/v1"] }), null, [call("int_1")]);
    expect(deeper).toMatchObject({ rules: "A", outcome: "CAUGHT", trust_gate: { rule: "exact", missing: ["https://api.weather.example/v1/now"] } });
    const pattern = analyzeHandoff(handoff([weatherClaim({ query_record_id: "1" })], { registry: ["https://api.weather.example/v1/{endpoint}"] }), null, [call("int_1")]);
    expect(pattern.outcome).toBe("PASS");
  });
});

describe("outcome rules, generation B (sourcerykit 1.0.1)", () => {
  it("any error (build_errors included) is ERROR, before CAUGHT", () => expect(resolveOutcome("B", ["CAUGHT"], { gatePassed: true, errors: ["claim 'x' dropped: boom"] })).toBe("ERROR"));
  it("zero claims verified is ERROR", () => expect(resolveOutcome("B", [], { gatePassed: true, errors: [] })).toBe("ERROR"));
  it("a trust-gate failure is CAUGHT", () => expect(resolveOutcome("B", ["PASS"], { gatePassed: false, errors: [] })).toBe("CAUGHT"));
  it("else CAUGHT before ERROR before PASS", () => {
    expect(resolveOutcome("B", ["ERROR", "CAUGHT"], { gatePassed: true, errors: [] })).toBe("CAUGHT");
    expect(resolveOutcome("B", ["PASS", "ERROR"], { gatePassed: true, errors: [] })).toBe("ERROR");
    expect(resolveOutcome("B", ["PASS"], { gatePassed: true, errors: [] })).toBe("PASS");
  });
  it("end to end: build_errors make ERROR; no claims make ERROR; claims without a URL are not gated by the evaluator", () => {
    const row = call("int_1", { callRef: REF });
    const h = (payload: Json) => ({ id: "hof_1", source: "s", agentId: "agent", ts: 1000, payload });
    expect(analyzeHandoff(h(bPayload([bClaim("5")], { build_errors: ["claim 'y' dropped: claim missing required sourcerykit_ref"] })), null, [row]).outcome).toBe("ERROR");
    expect(analyzeHandoff(h(bPayload([])), null, [row])).toMatchObject({ rules: "B", outcome: "ERROR" });
    const ok = analyzeHandoff(h(bPayload([bClaim(" 4.2 ")])), null, [row]);
    expect(ok).toMatchObject({ outcome: "PASS", trust_gate: { checked: false, passed: true } });
    expect(ok.claims[0].trust_gate.checked_by).toBe("verdict");
  });
});

describe("resolution rules", () => {
  it("A: the newest row for (agent_id, action_name) at or before the handoff", () => {
    const h = handoff([weatherClaim()]);
    const rows = [call("int_1", { ts: 100 }), call("int_2", { ts: 900 }), call("int_3", { ts: 2000 }), call("int_4", { ts: 950, agentId: "other" })];
    const r = resolveClaim(h, readClaims(h.payload)[0], rows);
    expect(r).toMatchObject({ resolvedBy: "loader" });
    expect(r.resolved?.id).toBe("int_2");
  });
  it("B: the first inserted row carrying the call_ref, not the newest; every sharing row is named", () => {
    const h = { id: "hof_1", source: "s", agentId: "agent", ts: 1000, payload: bPayload([bClaim("4.2")]) };
    const rows = [call("int_2", { ts: 200, callRef: REF }), llm("int_1", { ts: 100, callRef: REF }), llm("int_3", { ts: 300, callRef: REF })];
    const r = resolveClaim(h, readClaims(h.payload)[0], rows);
    expect(r).toMatchObject({ resolvedBy: "call_ref" });
    expect(r.resolved?.id).toBe("int_1");
    expect(r.toolCall?.id).toBe("int_2");
    expect(r.callRefRows.map((c) => c.id)).toEqual(["int_1", "int_2", "int_3"]);
    expect(r.disagreements[0]).toMatch(/^3 recorded rows carry call_ref .*int_1 \(OpenAI call, POST .*int_2 \(tool call, GET .*The evaluator reads the first inserted one \(int_1\)\.$/);
  });
  it("B, imported: trace_intercepts.intercept_id names the row the evaluator compared", () => {
    const h = { id: "hof_1", source: "s", agentId: "agent", ts: 1000, payload: bPayload([bClaim("4.2", { intercept_id: "3" })]) };
    const rows = [call("int_2", { ts: 200, callRef: REF }), llm("int_3", { ts: 300, callRef: REF, sourceId: "3" })];
    const r = resolveClaim(h, readClaims(h.payload)[0], rows);
    expect(r).toMatchObject({ resolvedBy: "intercept_id" });
    expect(r.resolved?.id).toBe("int_3");
  });
  it("B: a claim on an LLM row sharing the call_ref gets shared_call_ref, saying whether it holds against the tool row", () => {
    const h = { id: "hof_1", source: "s", agentId: "agent", ts: 1000, payload: bPayload([bClaim("4.2"), bClaim("9.9")]) };
    const rows = [llm("int_1", { ts: 100, callRef: REF }), call("int_2", { ts: 200, callRef: REF })];
    const a = analyzeHandoff(h, null, rows);
    expect(a.claims.map((c) => c.causes[0]?.code)).toEqual(["shared_call_ref", "shared_call_ref"]);
    expect(a.claims[0].causes[0].explanation).toContain("before the tool's own fetch int_2");
    expect(a.claims[0].causes[0].explanation).toContain("Checked against the tool row int_2, the claim holds.");
    expect(a.claims[1].causes[0].explanation).toContain("Checked against the tool row int_2, the claim fails");
  });
});

describe("sourcerykit 1.0.1's evaluate_claim", () => {
  const claim = (entries: { path: string; value: Json }[], over: Partial<Parameters<typeof applySourcerykitMode>[0]> = {}) => ({
    mode: "field_extraction", claimedValue: entries as Json, jsonPath: "", entries: entries.map((e) => ({ ...e, ref: REF })), rangeMin: null, rangeMax: null, ...over,
  });
  it("walks paths as _get_by_json_path does", () => {
    expect(getByJsonPath({ a: [{ b: 1 }] }, "$.a[0].b")).toBe(1);
    expect(getByJsonPath({ a: [{ b: 1 }] }, "a.0.b")).toBe(1);
    expect(() => getByJsonPath({ a: 1 }, "$.b")).toThrow("'b'");
  });
  it("compares stripped strings, Python's str() for scalars and compact canonical JSON for lists", () => {
    expect(applySourcerykitMode(claim([{ path: "$.ok", value: "True" }]), { ok: true }).result).toBe("PASS");
    expect(applySourcerykitMode(claim([{ path: "$.xs", value: "[3, 1]" }]), { xs: [3, 1] }).result).toBe("PASS");
    expect(applySourcerykitMode(claim([{ path: "$.current.temperature_2m", value: "4.3" }]), weather).result).toBe("CAUGHT");
  });
  it("a missing field_extraction path is CAUGHT here and named as the case where 1.0.1 raises", () => {
    const r = applySourcerykitMode(claim([{ path: "$.current.temperature_2m", value: "4.2" }]), { choices: [] });
    expect(r).toMatchObject({ result: "CAUGHT" });
    expect(r.detail).toContain("the 1.0.1 evaluator raises here");
  });
  it("range_threshold: a claimed_value list never coerces to a number, as in 1.0.1", () => {
    const r = applySourcerykitMode(claim([{ path: "$", value: "4.2" }], { mode: "range_threshold", jsonPath: "$.current.temperature_2m", rangeMin: 0, rangeMax: 10 }), weather);
    expect(r).toMatchObject({ result: "CAUGHT", detail: "claimed_value does not match indexed numeric at path" });
  });
});

describe("trust gate matching per generation", () => {
  it("B: sanitized URL LIKE prefix% (so _ is a wildcard), one error message", () => {
    expect(sanitizeTrustedUrl("api.openai.com/v1/chat/completions/?x=1")).toBe("https://api.openai.com/v1/chat/completions");
    expect(sqlLike("https://api.openai.com/v1/chat", "https://api.openai.com/v1%")).toBe(true);
    expect(sqlLike("https://apiXopenai.com/v1", "https://api_openai.com%")).toBe(true);
    expect(checkTrustGate([OPENAI], ["https://api.openai.com/v1"], [], "prefix")).toMatchObject({ passed: true, checked: true });
    expect(checkTrustGate(["https://evil.example/x"], ["https://api.openai.com/v1"], [], "prefix").errors).toEqual(["handoff has untrusted endpoints: https://evil.example/x"]);
  });
  it("A: exact after normalization; a prefix is not enough", () => {
    expect(checkTrustGate([WEATHER], ["https://api.weather.example/v1"]).missing).toEqual(["https://api.weather.example/v1/now"]);
  });
  it("reads the live registry's verdict from the evaluators' own 'trust gate: ' errors", () => {
    const a = analyzeHandoff(handoff([weatherClaim({ query_record_id: "1" })]), { outcome: "CAUGHT", per_claim: [], errors: [`trust gate: handoff has untrusted endpoints: ${WEATHER}`] }, [call("int_1")]);
    expect(a.trust_gate).toMatchObject({ passed: false, untrusted: ["https://api.weather.example/v1/now"] });
  });
});
