import { describe, expect, it } from "vitest";
import { percentile, perSecond, ratio } from "./stats";

describe("bench stats", () => {
  it("takes nearest-rank percentiles", () => {
    const s = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(percentile(s, 50)).toBe(5);
    expect(percentile(s, 95)).toBe(10);
    expect(percentile(s, 0)).toBe(1);
    expect(percentile([42], 95)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });
  it("computes rates and ratios", () => {
    expect(perSecond(30_000, 1500)).toBe(20_000);
    expect(ratio(25_000, 50_000)).toBe(0.5);
    expect(ratio(1, 0)).toBeNaN();
  });
});
