import { describe, expect, it } from "vitest";
import { activitySlots, spanLabel } from "./activity-slots";

const MIN = 60_000_000;

describe("activitySlots", () => {
  it("fills short quiet spells with empty buckets so time stays linear", () => {
    const s = activitySlots({ bucketSeconds: 60, buckets: [{ start: 0, calls: 2, leaks: 0 }, { start: 3 * MIN, calls: 1, leaks: 1 }] });
    expect(s.map((x) => x.kind)).toEqual(["bucket", "bucket", "bucket", "bucket"]);
    expect(s.map((x) => x.start)).toEqual([0, MIN, 2 * MIN, 3 * MIN]);
  });

  it("keeps a pause that is shorter than the rest of the chart to scale", () => {
    const s = activitySlots({ bucketSeconds: 60, buckets: [0, 1, 2, 22, 23, 24, 44].map((m) => ({ start: m * MIN, calls: 1, leaks: 0 })) });
    expect(s.every((x) => x.kind === "bucket")).toBe(true);
    expect(s).toHaveLength(45);
  });

  it("folds a long gap to one slot: an outlier four days out does not squeeze the rest", () => {
    const buckets = Array.from({ length: 30 }, (_, i) => ({ start: i * MIN, calls: 5, leaks: 0 }));
    buckets.push({ start: 4 * 1440 * MIN, calls: 1, leaks: 0 });
    const s = activitySlots({ bucketSeconds: 60, buckets });
    expect(s).toHaveLength(32);
    expect(s[30]).toEqual({ kind: "gap", start: 30 * MIN, end: 4 * 1440 * MIN });
    expect(spanLabel(s[30].end - s[30].start)).toBe("3 d 23 h");
  });
});
