import { describe, expect, it } from "vitest";
import { DASHBOARD_SCOPE, recordLinks, sharedScope } from "./record-links";

describe("record links", () => {
  it("on the dashboard, lead to the dashboard's pages and the v1 API, ids encoded", () => {
    const l = recordLinks(DASHBOARD_SCOPE);
    expect(l.intercept("int_a/b c")).toBe("/intercepts/int_a%2Fb%20c");
    expect(l.handoff("h#1")).toBe("/handoffs/h%231");
    expect(l.policyDecisions("agent &1")).toBe("/policy?agent_id=agent%20%261");
    expect(l.policyDecisions("a", "BLOCK")).toBe("/policy?agent_id=a&action=BLOCK");
    expect(l.timelineApi("a/b")).toBe("/api/v1/agents/a%2Fb/timeline");
    expect(l.interceptApi("x?y")).toBe("/api/v1/intercepts/x%3Fy");
    expect(l.handoffApi("h")).toBe("/api/v1/handoffs/h");
    expect(l.agent("a b")).toBe("/agents/a%20b");
    expect(l.agent("a", { event: "int_1/2" })).toBe("/agents/a?event=int_1%2F2");
    expect(l.agent("a", { leaksOnly: true, event: "x" })).toBe("/agents/a?leaks_only=true&event=x");
  });

  it("in a shared view, reach only the token's calls and endpoints: no handoff or policy pages", () => {
    const l = recordLinks(sharedScope("TOKEN_x-1"));
    expect(l.intercept("int_a/b")).toBe("/s/TOKEN_x-1/intercepts/int_a%2Fb");
    expect(l.interceptApi("int_a/b")).toBe("/api/s/TOKEN_x-1/intercepts/int_a%2Fb");
    expect(l.timelineApi("any-agent")).toBe("/api/s/TOKEN_x-1/timeline");
    expect(l.agent("any-agent", { event: "int_1" })).toBe("/s/TOKEN_x-1?event=int_1");
    expect(l.handoff("h")).toBeNull();
    expect(l.handoffApi("h")).toBeNull();
    expect(l.policyDecisions("a", "BLOCK")).toBeNull();
  });
});
