import { describe, expect, it } from "vitest";
import { growthSvg, niceStep, type GrowthResult } from "./growth";

const run = (dialect: "sqlite" | "postgresql", rates: number[]) =>
  ({ dialect, servers: 1, last_over_first: rates[rates.length - 1] / rates[0], steps: rates.map((r, i) => ({ stored: (i + 1) * 1_000_000, records_per_s: r })) }) as unknown as GrowthResult;

describe("the growth curve", () => {
  it("steps of 1, 2 or 5 × a power of ten", () => {
    expect([niceStep(1464), niceStep(2_000_000), niceStep(900), niceStep(0.3)]).toEqual([2000, 2_000_000, 1000, 0.5]);
  });

  it("labels its gridlines with the values they stand at", () => {
    const svg = growthSvg([run("postgresql", [6078, 6970, 6736]), run("sqlite", [4489, 3935])], "t");
    // 6,970 × 1.05 over five lines: a 2k step, the axis to 8k (it read 0, 2k, 3k, 5k, 6k, 8k: 1,533 shown as "2k").
    const yLabels = [...svg.matchAll(/text-anchor="end">([^<]+)</g)].map((m) => m[1]);
    expect(yLabels).toEqual(["0", "2k", "4k", "6k", "8k"]);
    const xLabels = [...svg.matchAll(/text-anchor="middle">([^<]+)</g)].map((m) => m[1]).filter((t) => /^[\d.]+[kM]?$/.test(t));
    expect(xLabels).toEqual(["0", "1M", "2M", "3M"]);
  });
});
