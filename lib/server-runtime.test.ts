import { describe, expect, it } from "vitest";
import { serverNodeOptions } from "./server-runtime";

describe("serverNodeOptions", () => {
  it("adds the young-generation size to whatever NODE_OPTIONS hold", () => {
    expect(serverNodeOptions()).toBe("--max-semi-space-size=64");
    expect(serverNodeOptions("--enable-source-maps")).toBe("--enable-source-maps --max-semi-space-size=64");
  });
  it("leaves an explicit setting alone", () => {
    expect(serverNodeOptions("--max-semi-space-size=16")).toBe("--max-semi-space-size=16");
  });
});
