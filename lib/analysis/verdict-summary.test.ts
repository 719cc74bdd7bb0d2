import { describe, expect, it } from "vitest";
import { summarizeVerdict, type SummaryInput } from "./verdict-summary";
import type { Cause } from "./causes";

const leak: Cause = { code: "leaked_tag", ids: ["int_llm", "int_tool"], tool_intercept_id: "int_tool", explanation: "The row the claim was checked against (int_llm) is a OpenAI call that inherited the tool tag." };
const gate: Cause = { code: "untrusted_endpoint", ids: ["int_llm"], explanation: "The claim's endpoint https://api.openai.com/v1 is not in the handoff's trusted snapshot (https://w)." };
const mismatch: Cause = { code: "value_mismatch", ids: ["int_tool"], explanation: "The tool's recorded value at $.t is 3.9, but the agent claimed 4.2." };
const base = (over: Partial<SummaryInput>): SummaryInput => ({ shownOutcome: "CAUGHT", evaluatorOutcome: "CAUGHT", verdictOutcome: "CAUGHT", causes: [], claims: [], ...over });

describe("summarizeVerdict", () => {
  it("says a leaked tag is an instrumentation fault, naming the tool call the claim holds against", () => {
    const s = summarizeVerdict(base({ causes: [gate, leak], claims: [{ claimed_value: 4.2, causes: [leak, gate], against_tool_call: { intercept_id: "int_tool", result: "PASS" } }] }));
    expect(s).toEqual({ cause: "leaked_tag", category: "instrumentation", sentence: "Leaked tag: the claim 4.2 holds against tool call int_tool; this CAUGHT is an instrumentation fault (the recorder or its setup, not the agent)." });
  });
  it("says when the value fails against the tool call too", () => {
    const s = summarizeVerdict(base({ causes: [leak], claims: [{ claimed_value: 4.2, causes: [leak], against_tool_call: { intercept_id: "int_tool", result: "CAUGHT" } }] }));
    expect(s.sentence).toContain("fails against tool call int_tool too, so the agent's value is wrong as well");
  });
  it("blames the agent for a value mismatch and the snapshot for an untrusted endpoint alone", () => {
    expect(summarizeVerdict(base({ causes: [mismatch], claims: [{ claimed_value: 4.2, causes: [mismatch], against_tool_call: null }] })).sentence)
      .toBe("Value mismatch: the tool's recorded value at $.t is 3.9, but the agent claimed 4.2; this CAUGHT is the agent's fault (the claim is wrong).");
    const g = summarizeVerdict(base({ causes: [gate] }));
    expect(g).toMatchObject({ cause: "untrusted_endpoint", category: "configuration" });
    expect(g.sentence).toMatch(/^Untrusted endpoint: the claim's endpoint .* is not in the handoff's trusted snapshot \(https:\/\/w\); this CAUGHT is a configuration fault/);
  });
  it("says not evaluated before any cause, and PASS or an unexplained verdict without one", () => {
    expect(summarizeVerdict(base({ evaluatorOutcome: "NOT_EVALUATED", shownOutcome: "NOT_EVALUATED", verdictOutcome: "PASS" }))).toEqual({ cause: null, category: "not_evaluated", sentence: "Not evaluated: the evaluator never finished, so it judged nothing; Verdict's own check says PASS." });
    expect(summarizeVerdict(base({ shownOutcome: "PASS", evaluatorOutcome: "PASS", verdictOutcome: "PASS" })).sentence).toBe("PASS: every claim holds against the row it rests on.");
    expect(summarizeVerdict(base({ verdictOutcome: "PASS" })).sentence).toMatch(/^The evaluator said CAUGHT, but Verdict's recomputation finds every claim holds/);
  });
});
