import { describe, expect, it } from "vitest";
import { depthLabel, parseDepth } from "./depth";

describe("parseDepth", () => {
  it("accepts levels as numbers, digit strings, names and labels", () => {
    expect(parseDepth(2)).toBe(2);
    expect(parseDepth(0)).toBe(0);
    expect(parseDepth("4")).toBe(4);
    expect(parseDepth("CAPABILITIES")).toBe(2);
    expect(parseDepth("existence")).toBe(0);
    expect(parseDepth("D2 CAPABILITIES")).toBe(2);
    expect(parseDepth("  d3   constraints ")).toBe(3);
  });

  it("rejects what is not a level, with a message that says what is", () => {
    for (const bad of [5, -1, 1.5, "7", "CAPABILITY", "", "D2"]) {
      expect(typeof parseDepth(bad)).toBe("string");
    }
    expect(parseDepth(9)).toBe("depth 9 is not a level 0–4");
    expect(parseDepth("POWER")).toMatch(/EXISTENCE, IDENTITY, CAPABILITIES, CONSTRAINTS, IMPLICATIONS/);
  });

  it("rejects a label whose number and name disagree", () => {
    expect(parseDepth("D1 CAPABILITIES")).toMatch(/does not match a level/);
  });
});

describe("depthLabel", () => {
  it("shows a level as D<n> NAME, and a missing one as a dash", () => {
    expect(depthLabel(2)).toBe("D2 CAPABILITIES");
    expect(depthLabel(4)).toBe("D4 IMPLICATIONS");
    expect(depthLabel(null)).toBe("—");
    expect(depthLabel(undefined)).toBe("—");
  });

  it("round-trips through parseDepth", () => {
    for (let level = 0; level <= 4; level++) expect(parseDepth(depthLabel(level))).toBe(level);
  });
});
