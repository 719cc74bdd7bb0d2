import { describe, expect, it } from "vitest";
import { CATEGORY_OF, CAUSE_CATEGORIES, causeCategory, handoffCategory } from "./cause-category";
import { CAUSE_CODES } from "./causes";

describe("causeCategory", () => {
  it("maps the primary cause", () => {
    expect(causeCategory([{ code: "value_mismatch" }])).toBe("agent");
    expect(causeCategory([{ code: "leaked_tag" }, { code: "value_mismatch" }])).toBe("instrumentation");
    for (const code of ["untagged_call", "tool_never_ran", "agent_id_mismatch", "wrong_row"] as const) expect(causeCategory([{ code }])).toBe("instrumentation");
  });
  it("gives configuration only for an untrusted endpoint alone", () => {
    expect(causeCategory([{ code: "untrusted_endpoint" }])).toBe("configuration");
    expect(causeCategory([{ code: "untrusted_endpoint" }, { code: "leaked_tag" }])).toBe("instrumentation");
    expect(causeCategory([{ code: "untrusted_endpoint" }, { code: "value_mismatch" }])).toBe("agent");
  });
  it("is null without a cause", () => expect(causeCategory([])).toBeNull());
});

describe("handoffCategory: what each handoff keeps", () => {
  it("keeps the primary cause with its category", () => {
    expect(handoffCategory("CAUGHT", [{ code: "untrusted_endpoint" }, { code: "leaked_tag" }])).toEqual({ cause: "leaked_tag", category: "instrumentation" });
    expect(handoffCategory("CAUGHT", [{ code: "value_mismatch" }])).toEqual({ cause: "value_mismatch", category: "agent" });
    expect(handoffCategory(null, [{ code: "untrusted_endpoint" }])).toEqual({ cause: "untrusted_endpoint", category: "configuration" });
    expect(handoffCategory("PASS", [{ code: "shared_call_ref" }])).toEqual({ cause: "shared_call_ref", category: "instrumentation" });
  });
  it("says not_evaluated when the evaluator never finished, keeping Verdict's cause", () => {
    expect(handoffCategory("NOT_EVALUATED", [])).toEqual({ cause: null, category: "not_evaluated" });
    expect(handoffCategory("NOT_EVALUATED", [{ code: "leaked_tag" }])).toEqual({ cause: "leaked_tag", category: "not_evaluated" });
  });
  it("has neither without a cause", () => expect(handoffCategory("CAUGHT", [])).toEqual({ cause: null, category: null }));
  it("gives every cause code a category", () => {
    for (const code of CAUSE_CODES) expect(CAUSE_CATEGORIES).toContain(CATEGORY_OF[code]);
  });
});
