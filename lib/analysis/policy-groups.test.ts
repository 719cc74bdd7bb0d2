import { describe, expect, it } from "vitest";
import {
  fireRate,
  confirmationOf,
  EVALUATION_GAP_US,
  groupGateEvaluations,
  indistinguishableInvocations,
  type GateInvocation,
  type GateOutcome,
} from "./policy-groups";

const BLOCK: GateOutcome = { action: "BLOCK", reason: "External recipients are not allowed.", confirmation: null };
const T0 = 1_790_000_000_000_000;

let n = 0;
function edge(policy: string, from: string, to: string, over: Partial<GateInvocation> = {}): GateInvocation {
  n++;
  return {
    id: `d${String(n).padStart(3, "0")}`,
    ts: T0 + n * 1000,
    createdAt: `t${n}`,
    agentId: "mailer",
    toolName: "send_email",
    callKey: "call-a",
    shape: "edge",
    edge: { sourceName: from, targetName: to, sourceDepth: 1, targetDepth: 2 },
    policyName: policy,
    passed: true,
    message: null,
    failClosed: false,
    outcome: BLOCK,
    context: { tool_call: { tool_name: "send_email" }, triggering_edge: { source_name: from, target_name: to } },
    ...over,
  };
}

const legacyContext = { tool_name: "send_email", call_args: ["ops@example.com"], call_kwargs: {}, grounding: { grounded: true } };
function legacy(over: Partial<GateInvocation> = {}): GateInvocation {
  return edge("", "", "", { shape: "legacy", edge: null, policyName: null, context: legacyContext, ...over });
}

describe("groupGateEvaluations", () => {
  it("puts the three edges of one tool call into one evaluation with the gate outcome", () => {
    const ds = [edge("email_allowed", "Agent", "Email"), edge("no_external", "Email", "External", { passed: false, message: "nope" }), edge("audit", "Data", "Audit")];
    const groups = groupGateEvaluations([ds[2], ds[0], ds[1]]);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ id: ds[0].id, callKey: "call-a", outcome: BLOCK, failedCallbacks: 1, failClosed: false, diagnostics: [] });
    expect(groups[0].invocations.map((d) => d.id)).toEqual(ds.map((d) => d.id));
  });

  it("keeps different tool calls (call keys) apart even when interleaved", () => {
    const a = edge("p", "A", "B");
    const b = edge("p", "A", "B", { callKey: "call-b", outcome: { action: "PASS", reason: null, confirmation: null } });
    const a2 = edge("q", "B", "C");
    const groups = groupGateEvaluations([a, b, a2]);
    expect(groups.map((g) => g.invocations.map((d) => d.id))).toEqual([[a.id, a2.id], [b.id]]);
  });

  it("starts a new evaluation after a gap longer than the window", () => {
    const a = edge("p", "A", "B");
    const later = edge("q", "B", "C", { ts: a.ts + EVALUATION_GAP_US + 1 });
    expect(groupGateEvaluations([a, later])).toHaveLength(2);
    const close = edge("q", "B", "C", { ts: a.ts + EVALUATION_GAP_US });
    expect(groupGateEvaluations([a, close])).toHaveLength(1);
  });

  it("starts a new evaluation when an edge repeats (the call was evaluated again)", () => {
    const groups = groupGateEvaluations([edge("p", "A", "B"), edge("q", "B", "C"), edge("p", "A", "B"), edge("q", "B", "C")]);
    expect(groups.map((g) => g.invocations.length)).toEqual([2, 2]);
  });

  it("starts a new evaluation when the recorded gate outcome changes", () => {
    const pass: GateOutcome = { action: "PASS", reason: null, confirmation: "granted" };
    const groups = groupGateEvaluations([edge("p", "A", "B"), edge("q", "B", "C", { outcome: pass })]);
    expect(groups.map((g) => g.outcome?.action)).toEqual(["BLOCK", "PASS"]);
  });

  it("takes the outcome from whichever invocation recorded it", () => {
    const groups = groupGateEvaluations([edge("p", "A", "B", { outcome: null }), edge("q", "B", "C")]);
    expect(groups).toHaveLength(1);
    expect(groups[0].outcome).toEqual(BLOCK);
    expect(groupGateEvaluations([edge("p", "A", "B", { outcome: null })])[0].outcome).toBeNull();
  });

  it("marks an evaluation with a fail-closed callback", () => {
    const groups = groupGateEvaluations([edge("p", "A", "B"), edge("q", "B", "C", { passed: false, failClosed: true, message: "raised; firing conservatively." })]);
    expect(groups[0]).toMatchObject({ failClosed: true, failedCallbacks: 1 });
  });

  it("does not merge the two context shapes", () => {
    expect(groupGateEvaluations([edge("p", "A", "B"), legacy()])).toHaveLength(2);
  });

  it("merges older-shape invocations of one call, since edges cannot be compared", () => {
    const groups = groupGateEvaluations([legacy(), legacy({ passed: false, message: "needs a reviewer" }), legacy()]);
    expect(groups).toHaveLength(1);
    expect(groups[0].diagnostics).toEqual([
      expect.objectContaining({ code: "indistinguishable_invocations", count: 3, message: "3 invocations cannot be told apart: the context has no triggering edge" }),
    ]);
  });
});

describe("indistinguishableInvocations", () => {
  it("reports older-shape invocations with identical contexts, whatever the key order", () => {
    const a = legacy();
    const b = legacy({ context: { grounding: { grounded: true }, call_kwargs: {}, call_args: ["ops@example.com"], tool_name: "send_email" } });
    const d = indistinguishableInvocations([a, b]);
    expect(d).toHaveLength(1);
    expect(d[0]).toMatchObject({ count: 2, decisionIds: [a.id, b.id], message: "2 invocations cannot be told apart: the context has no triggering edge" });
  });

  it("says nothing about a single older-shape invocation or differing contexts", () => {
    expect(indistinguishableInvocations([legacy()])).toEqual([]);
    expect(indistinguishableInvocations([legacy(), legacy({ context: { ...legacyContext, grounding: { grounded: false } } })])).toEqual([]);
  });

  it("never reports composed-shape invocations, which carry their edge", () => {
    const same = { tool_call: { tool_name: "x" } };
    expect(indistinguishableInvocations([edge("p", "A", "B", { context: same }), edge("p", "A", "B", { context: same })])).toEqual([]);
  });
});

describe("confirmationOf", () => {
  it("uses the recorded confirmation, else reads it from the gate's reason", () => {
    expect(confirmationOf({ reason: null, confirmation: "granted" })).toBe("granted");
    expect(confirmationOf({ reason: "Confirmation required, no handler", confirmation: null })).toBe("no_handler");
    expect(confirmationOf({ reason: "User declined", confirmation: null })).toBe("declined");
    expect(confirmationOf({ reason: "Financial data may not be emailed.", confirmation: null })).toBeNull();
  });
});

describe("fireRate", () => {
  it("is blocks over invocations, and null for a policy that never fired", () => {
    expect(fireRate({ invocations: 4, fired: 1 })).toBe(0.25);
    expect(fireRate({ invocations: 0, fired: 0 })).toBeNull();
  });
});
