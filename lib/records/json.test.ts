import { describe, expect, it } from "vitest";
import { isJsonValue, jsonValue } from "./json";

describe("isJsonValue / jsonValue", () => {
  it("accepts what JSON.parse produces, at any depth", () => {
    const v = JSON.parse('{"a": [1, -2.5, "x", null, true, {"b": {"c": []}}], "__proto__": {"d": 1}}');
    expect(isJsonValue(v)).toBe(true);
    expect(jsonValue.safeParse(v).success).toBe(true);
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(isJsonValue(deep)).toBe(true); // iterative: no stack overflow
  });

  it("refuses what JSON cannot hold, however deep it sits", () => {
    for (const bad of [undefined, NaN, Infinity, () => 1, 1n, Symbol("s"), new Date(0), new Map(), { a: [{ b: undefined }] }, [1, [2, [NaN]]]]) {
      expect(isJsonValue(bad)).toBe(false);
    }
    const r = jsonValue.safeParse({ a: [Infinity] });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/JSON value/);
  });
});
