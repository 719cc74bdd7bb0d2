import { describe, expect, it } from "vitest";
import { alertCategory } from "./alert-category";

describe("alertCategory", () => {
  it("maps the primary cause", () => {
    expect(alertCategory([{ code: "value_mismatch" }])).toBe("agent");
    expect(alertCategory([{ code: "leaked_tag" }, { code: "value_mismatch" }])).toBe("instrumentation");
    for (const code of ["untagged_call", "tool_never_ran", "agent_id_mismatch", "wrong_row"] as const) expect(alertCategory([{ code }])).toBe("instrumentation");
  });
  it("gives configuration only for an untrusted endpoint alone", () => {
    expect(alertCategory([{ code: "untrusted_endpoint" }])).toBe("configuration");
    expect(alertCategory([{ code: "untrusted_endpoint" }, { code: "leaked_tag" }])).toBe("instrumentation");
    expect(alertCategory([{ code: "untrusted_endpoint" }, { code: "value_mismatch" }])).toBe("agent");
  });
  it("is null without a cause", () => expect(alertCategory([])).toBeNull());
});
