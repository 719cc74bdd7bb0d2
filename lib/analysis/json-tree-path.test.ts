import { describe, expect, it } from "vitest";
import { formatJsonPath, isPathPrefix, parseSimpleJsonPath } from "./json-tree-path";

describe("parseSimpleJsonPath", () => {
  it("reads dotted keys, indices and quoted keys", () => {
    expect(parseSimpleJsonPath("$.current.temperature_2m")).toEqual(["current", "temperature_2m"]);
    expect(parseSimpleJsonPath("$.choices[0].message['content x']")).toEqual(["choices", 0, "message", "content x"]);
    expect(parseSimpleJsonPath('$["a.b"]')).toEqual(["a.b"]);
    expect(parseSimpleJsonPath("$")).toEqual([]);
  });
  it("refuses what it cannot follow exactly", () => {
    expect(parseSimpleJsonPath("current.temp")).toBeNull();
    expect(parseSimpleJsonPath("$..temp")).toBeNull();
    expect(parseSimpleJsonPath("$.a[*]")).toBeNull();
  });
  it("formats and compares paths", () => {
    expect(formatJsonPath(["a", 0, "c d"])).toBe('$.a[0]["c d"]');
    expect(isPathPrefix(["a"], ["a", 0])).toBe(true);
    expect(isPathPrefix(["b"], ["a", 0])).toBe(false);
  });
});
