import { describe, expect, it } from "vitest";
import { invokedPolicies, maxInvocations, reconstructInvocations, walkPolicies } from "./policy-walk";
import { groupGateEvaluations, reconstructEdges, type GateInvocation, type GateOutcome } from "./policy-groups";
import { flatContext, grounding, WALK } from "../../tests/fixtures/vre-gate";
import type { Json } from "../records/json";

const names = (ps: { name: string }[]) => ps.map((p) => p.name);

describe("walkPolicies (the older gate's walk order)", () => {
  it("walks primitives → depths → APPLIES_TO relata → policies, naming each edge by the target primitive", () => {
    const walk = walkPolicies(grounding as unknown as Json)!;
    expect(names(walk)).toEqual(["no_system_paths", "log_writes", "size_limit", "confirm_overwrite", "audit_writes"]);
    expect(walk[4].edge).toEqual({ sourceName: "file", targetName: "write", sourceDepth: 2, targetDepth: 3 });
  });

  it("invokes only policies that require confirmation, match the cardinality and name a callback", () => {
    const walk = walkPolicies(grounding as unknown as Json)!;
    expect(names(invokedPolicies(walk, "single"))).toEqual(WALK.map((w) => w.policy));
    expect(maxInvocations(grounding as unknown as Json)).toBe(3);
  });

  it("has nothing to walk without a trace", () => {
    expect(walkPolicies({ grounded: false, resolved: [], gaps: [], trace: null })).toBeNull();
    expect(reconstructInvocations({ grounded: true }, 2, true)).toEqual({ ok: false, reason: "the grounding result carries no trace to walk" });
  });
});

const withCardinality = (tc: "single" | "multiple") => {
  const g = structuredClone(grounding) as typeof grounding;
  (g.trace.result.primitives[0].depths[1].relata[0].policies[2] as { trigger_cardinality: string | null }).trigger_cardinality = tc;
  return g as unknown as Json;
};

describe("reconstructInvocations", () => {
  it("takes the n-th invoked policy for the n-th invocation", () => {
    const r = reconstructInvocations(grounding as unknown as Json, 3, true);
    expect(r.ok && names(r.policies)).toEqual(WALK.map((w) => w.policy));
  });

  it("settles an unrecorded cardinality by the count when only one walk has that many callbacks", () => {
    // size_limit fires only for "multiple": single walks 2 callbacks, multiple walks 3.
    const g = withCardinality("multiple");
    const two = reconstructInvocations(g, 2, true);
    expect(two.ok && names(two.policies)).toEqual(["no_system_paths", "audit_writes"]);
    const three = reconstructInvocations(g, 3, true);
    expect(three.ok && names(three.policies)).toEqual(["no_system_paths", "size_limit", "audit_writes"]);
    // The first callback is the same either way; the second is not, and an evaluation cut short (a raise) does not say which.
    const one = reconstructInvocations(g, 1, false);
    expect(one.ok && names(one.policies)).toEqual(["no_system_paths"]);
    expect(reconstructInvocations(g, 2, false)).toMatchObject({ ok: false, reason: expect.stringContaining("cardinality") });
  });

  it("says so when there are more invocations than the walk calls", () => {
    expect(reconstructInvocations(grounding as unknown as Json, 4, true)).toEqual({ ok: false, reason: "4 invocations, but the gate's walk of this grounding calls at most 3" });
  });
});

const BLOCK: GateOutcome = { action: "BLOCK", reason: "Confirmation required, no handler", confirmation: null };
let n = 0;
function inv(over: Partial<GateInvocation> = {}): GateInvocation {
  n++;
  return {
    id: `x${String(n).padStart(3, "0")}`,
    ts: 1_800_000_000_000_000,
    createdAt: "",
    agentId: "a",
    toolName: "write_file",
    callKey: "k",
    shape: "legacy",
    edge: null,
    policyName: null,
    passed: true,
    message: null,
    failClosed: false,
    arrival: [1, n],
    outcome: BLOCK,
    context: flatContext("/etc/hosts") as unknown as Json,
    ...over,
  };
}

describe("reconstructEdges (record order)", () => {
  it("orders invocations of one instant by their position in the request", () => {
    const ds = [inv({ passed: false }), inv(), inv()];
    const groups = groupGateEvaluations([ds[2], ds[1], ds[0]]);
    expect(groups).toHaveLength(1);
    expect(groups[0].reconstructed.map((r) => r.policy?.name)).toEqual(WALK.map((w) => w.policy));
    expect(groups[0].diagnostics).toEqual([]);
  });

  it("leaves open two invocations of one instant that arrived in different requests and returned different results", () => {
    const ds = [inv({ passed: false, arrival: [1, 0] }), inv({ arrival: [2, 0] }), inv({ ts: 1_800_000_000_000_001, arrival: [2, 1] })];
    const r = reconstructEdges(ds);
    expect(r.map((x) => x.policy?.name ?? null)).toEqual([null, null, "audit_writes"]);
    expect(r[0].reason).toContain("cannot be told");
    // The two left open stay "cannot be told apart"; the recovered one does not.
    const [g] = groupGateEvaluations(ds);
    expect(g.diagnostics).toMatchObject([{ code: "indistinguishable_invocations", count: 2, decisionIds: [ds[0].id, ds[1].id] }]);
  });

  it("does not care about the order of two same-instant invocations with the same result", () => {
    const ds = [inv({ arrival: [1, 0] }), inv({ arrival: [2, 0] }), inv({ ts: 1_800_000_000_000_001 })];
    expect(reconstructEdges(ds).map((x) => x.policy?.name)).toEqual(WALK.map((w) => w.policy));
  });

  it("ends an evaluation at a raising callback, and at the walk's length", () => {
    const ds = [inv(), inv({ passed: null, callbackError: "KeyError('x')", outcome: null }), inv({ outcome: null }), inv({ outcome: null }), inv({ outcome: null }), inv({ outcome: null })];
    const groups = groupGateEvaluations(ds.map((d, i) => ({ ...d, ts: d.ts + i })));
    expect(groups.map((g) => g.invocations.length)).toEqual([2, 3, 1]);
    expect(groups[0]).toMatchObject({ raisedCallbacks: 1 });
  });
});
