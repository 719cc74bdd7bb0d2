import { describe, expect, it } from "vitest";
import { jsonDiff } from "./json-diff";

describe("jsonDiff", () => {
  it("lists added, removed and changed nodes by path", () => {
    expect(jsonDiff({ a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 5 }, e: [1] })).toEqual([
      { op: "changed", path: "$.b.c", recorded: 2, claimed: 5 },
      { op: "removed", path: "$.b.d", recorded: 3 },
      { op: "added", path: "$.e", claimed: [1] },
    ]);
  });
  it("names paths from the claim's json_path, and says so when nothing is recorded there", () => {
    expect(jsonDiff(4.2, 14.2, "$.current.temperature_2m")).toEqual([{ op: "changed", path: "$.current.temperature_2m", recorded: 4.2, claimed: 14.2 }]);
    expect(jsonDiff(undefined, 4.2, "$.current.temperature_2m")).toEqual([{ op: "added", path: "$.current.temperature_2m", claimed: 4.2 }]);
    expect(jsonDiff({ a: [1, 2] }, { a: [1, 2] })).toEqual([]);
  });
});
