import { describe, expect, it } from "vitest";
import { findJsonProblem, jsonDepth, MAX_JSON_DEPTH } from "./json-limits";

const nested = (levels: number): unknown => {
  let v: unknown = 1;
  for (let i = 1; i < levels; i++) v = i % 2 ? [v] : { k: v };
  return v;
};

describe("json limits", () => {
  it("measures depth, a scalar being 1", () => {
    expect(jsonDepth(1)).toBe(1);
    expect(jsonDepth({ a: [1] })).toBe(3);
    expect(jsonDepth(nested(100_000))).toBe(100_000);
  });
  it("accepts exactly MAX_JSON_DEPTH levels and refuses one more", () => {
    expect(findJsonProblem(nested(MAX_JSON_DEPTH))).toBeNull();
    expect(findJsonProblem(nested(MAX_JSON_DEPTH + 1))?.message).toContain(`at most ${MAX_JSON_DEPTH}`);
  });
  it("names the path of U+0000 in a value or a key", () => {
    expect(findJsonProblem({ a: { b: ["x", "y\u0000"] } })).toEqual({ path: "a.b.1", message: expect.stringContaining("U+0000") });
    expect(findJsonProblem({ a: { "k\u0000": 1 } })?.path).toBe("a");
  });
  it("refuses unpaired surrogates but keeps pairs", () => {
    expect(findJsonProblem({ t: "ok 🧪" })).toBeNull();
    expect(findJsonProblem({ t: "\ud800" })?.path).toBe("t");
    expect(findJsonProblem({ t: "\udc00\ud800" })?.path).toBe("t");
    expect(findJsonProblem({ t: "a\ud83d" })?.message).toContain("surrogate");
  });
  it('refuses a "__proto__" key (it would vanish) but keeps "constructor"', () => {
    expect(findJsonProblem(JSON.parse('{"a": {"__proto__": {"x": 1}}}'))?.path).toBe("a");
    expect(findJsonProblem(JSON.parse('{"constructor": {"prototype": 1}}'))).toBeNull();
  });
  it("refuses numbers JSON.parse cannot hold exactly", () => {
    expect(findJsonProblem({ n: JSON.parse("12345678901234567890") })?.path).toBe("n");
    expect(findJsonProblem({ n: JSON.parse("1e400") })?.message).toContain("finite");
    expect(findJsonProblem({ n: Number.MAX_SAFE_INTEGER, f: 1.5, neg: -(2 ** 52) })).toBeNull();
  });
});
