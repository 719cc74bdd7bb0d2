import { describe, expect, it } from "vitest";
import { serverNodeOptions } from "./server-runtime";

describe("serverNodeOptions", () => {
  it("adds the young- and old-generation sizes to whatever NODE_OPTIONS hold", () => {
    expect(serverNodeOptions()).toBe("--max-semi-space-size=64 --max-old-space-size=768");
    expect(serverNodeOptions("--enable-source-maps")).toBe("--enable-source-maps --max-semi-space-size=64 --max-old-space-size=768");
  });
  it("leaves an explicit setting alone", () => {
    expect(serverNodeOptions("--max-semi-space-size=16")).toBe("--max-semi-space-size=16 --max-old-space-size=768");
    expect(serverNodeOptions("--max-old-space-size=2048 --max-semi-space-size=16")).toBe("--max-old-space-size=2048 --max-semi-space-size=16");
  });
});
