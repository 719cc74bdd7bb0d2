import { describe, expect, it } from "vitest";
import { analyzeHandoff } from "./handoff-analysis";
import { call, handoff, llm, OPENAI, WEATHER, weatherClaim } from "./handoff-fixtures.test-helpers";
import type { RecordedCall } from "./claims";

const analyse = (claims: Parameters<typeof handoff>[0], calls: RecordedCall[], over: Parameters<typeof handoff>[1] = {}, evaluation = null) =>
  analyzeHandoff(handoff(claims, over), evaluation, calls);
const codes = (a: ReturnType<typeof analyzeHandoff>) => a.claims[0].causes.map((c) => c.code);

describe("causes of a non-PASS claim", () => {
  const tool = call("int_1", { ts: 100 });
  const leaked = llm("int_2", { ts: 200, isLeak: true, leakToolId: "int_1" });

  it("an honest claim on the tool's own row is PASS with no causes", () => {
    const a = analyse([weatherClaim({ query_record_id: "1" })], [tool]);
    expect(a.outcome).toBe("PASS");
    expect(a.claims[0].causes).toEqual([]);
  });

  it("leaked_tag: the claim rests on a leaked LLM row; names the tool call that should have been used", () => {
    const a = analyse([weatherClaim({ query_record_id: "2", request_payload: { url: OPENAI } })], [tool, leaked]);
    expect(a.outcome).toBe("CAUGHT");
    expect(codes(a)).toEqual(["leaked_tag"]);
    expect(a.claims[0].causes[0]).toMatchObject({ ids: ["int_2", "int_1"], tool_intercept_id: "int_1" });
    expect(a.claims[0].causes[0].explanation).toMatch(/Checked against that tool call, the claim holds/);
    expect(a.claims[0].against_tool_call).toMatchObject({ intercept_id: "int_1", result: "PASS" });
    expect(a.trust_gate.errors).toEqual([`handoff has endpoints missing from trusted snapshot: ${OPENAI}`]);
  });

  it("leaked_tag: a claim naming an LLM provider URL, even without a resolvable row", () => {
    const a = analyse([weatherClaim({ request_payload: { url: OPENAI } })], [tool]);
    expect(codes(a)).toEqual(["leaked_tag"]);
    expect(a.claims[0].causes[0].tool_intercept_id).toBe("int_1");
  });

  it("wrong_row: query_record_id names the last row overall instead of the tool's row", () => {
    const other = call("int_9", { actionName: "get_news", ts: 300, response: { headline: "x" } });
    const a = analyse([weatherClaim({ query_record_id: "9" })], [tool, other]);
    expect(codes(a)).toEqual(["wrong_row"]);
    expect(a.claims[0].causes[0]).toMatchObject({ ids: ["int_9", "int_1"], tool_intercept_id: "int_1" });
  });

  it("agent_id_mismatch: the tag was recorded under another agent id", () => {
    const a = analyse([weatherClaim()], [call("int_5", { agentId: "agent-7f" })]);
    expect(a.outcome).toBe("ERROR");
    expect(codes(a)).toEqual(["agent_id_mismatch"]);
    expect(a.claims[0].causes[0].ids).toEqual(["int_5"]);
    expect(a.claims[0].causes[0].explanation).toContain('"agent-7f"');
  });

  it("untagged_call: the call to the claim's URL was recorded as unknown", () => {
    const a = analyse([weatherClaim()], [call("int_6", { actionName: "unknown", kind: "untagged_call" })]);
    expect(codes(a)).toEqual(["untagged_call"]);
    expect(a.claims[0].causes[0].ids).toEqual(["int_6"]);
  });

  it("tool_never_ran: nothing carries the tag", () => {
    const a = analyse([weatherClaim()], [call("int_7", { actionName: "unknown", kind: "untagged_call", sourceUrl: "https://elsewhere.example/" })]);
    expect(codes(a)).toEqual(["tool_never_ran"]);
    expect(a.claims[0].causes[0].ids).toEqual(["hof_1"]);
  });

  it("untrusted_endpoint: the claim's URL is not in the snapshot", () => {
    const a = analyse([weatherClaim({ query_record_id: "1" })], [tool], { registry: ["https://api.weather.example/v2/now"] });
    expect(a.outcome).toBe("CAUGHT");
    expect(codes(a)).toEqual(["untrusted_endpoint"]);
    expect(a.claims[0].causes[0].ids).toEqual(["int_1"]);
    expect(a.claims[0].trust_gate).toEqual({ url: "https://api.weather.example/v1/now", passed: false, checked_by: "evaluator" });
  });

  it("value_mismatch: the right row, a different value; the diff shows it", () => {
    const a = analyse([weatherClaim({ query_record_id: "1", claimed_value: 14.2 })], [tool]);
    expect(codes(a)).toEqual(["value_mismatch"]);
    expect(a.claims[0].causes[0].explanation).toBe("The tool's recorded value at $.current.temperature_2m is 4.2, but the agent claimed 14.2.");
    expect(a.claims[0].diff).toEqual([{ op: "changed", path: "$.current.temperature_2m", recorded: 4.2, claimed: 14.2 }]);
  });

  it("the call_ref generation resolves by call_ref and compares stripped strings", () => {
    const row = call("int_8", { callRef: "ref-1", sourceUrl: WEATHER });
    const claims = [{ call_ref: "ref-1", claimed_values: [{ path: "$.current.temperature_2m", value: " 4.2 " }] }];
    expect(analyse(claims, [row]).outcome).toBe("PASS");
    const bad = analyse([{ call_ref: "ref-1", claimed_values: [{ path: "$.current.temperature_2m", value: "5" }] }], [row]);
    expect(codes(bad)).toEqual(["value_mismatch"]);
    expect(codes(analyse(claims, []))).toEqual(["tool_never_ran"]);
  });
});
