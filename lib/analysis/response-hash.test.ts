import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "@/lib/records/json";
import { CANONICAL_VARIANTS, checkResponseHash, parsePreservingNumbers, serializeCanonical } from "./response-hash";

const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
const canon = (text: string, i: number) => serializeCanonical(parsePreservingNumbers(text), CANONICAL_VARIANTS[i]);

describe("serializeCanonical", () => {
  const text = '{"b": [1, 4.0, 1e-05, "é"], "a": {"z": null, "y": true}}';
  it("writes each variant as Python's json.dumps(sort_keys=True) would", () => {
    expect(canon(text, 0)).toBe('{"a": {"y": true, "z": null}, "b": [1, 4.0, 1e-05, "\\u00e9"]}');
    expect(canon(text, 1)).toBe('{"a": {"y": true, "z": null}, "b": [1, 4.0, 1e-05, "é"]}');
    expect(canon(text, 2)).toBe('{"a":{"y":true,"z":null},"b":[1,4.0,1e-05,"\\u00e9"]}');
    expect(canon(text, 3)).toBe('{"a":{"y":true,"z":null},"b":[1,4.0,1e-05,"é"]}');
  });
  it("escapes astral characters as surrogate pairs and control characters like Python", () => {
    expect(canon('["😀\\n\\u0001"]', 0)).toBe('["\\ud83d\\ude00\\n\\u0001"]');
  });
  it("sorts keys by code point and keeps the last duplicate", () => {
    expect(canon('{"b": 1, "B": 2, "a": 3, "a": 4}', 3)).toBe('{"B":2,"a":4,"b":1}');
  });
  it("agrees with canonicalJson for values without floats", () => {
    const v = { x: [1, { c: "ü", b: null }], a: "q" };
    expect(canon(JSON.stringify(v), 1)).toBe(canonicalJson(v));
  });
  it("rejects text that is not JSON", () => {
    expect(() => parsePreservingNumbers("{a: 1}")).toThrow(SyntaxError);
    expect(() => parsePreservingNumbers("[1] x")).toThrow(SyntaxError);
  });
});

describe("checkResponseHash", () => {
  const body = '{"current": {"temperature_2m": 4.0, "city": "Zürich"}}';
  it("names the variant that matched", () => {
    CANONICAL_VARIANTS.forEach((v, i) => {
      const r = checkResponseHash(body, sha(canon(body, i)));
      expect(r).toMatchObject({ status: "match", variant: v.name });
    });
  });
  it("accepts an upper-case stored hash", () => {
    expect(checkResponseHash(body, sha(canon(body, 0)).toUpperCase()).status).toBe("match");
  });
  it("reports a tampered body as a mismatch with every hash it tried", () => {
    const r = checkResponseHash('{"current": {"temperature_2m": 31}}', sha(canon('{"current": {"temperature_2m": 30}}', 1)));
    expect(r.status).toBe("mismatch");
    if (r.status === "mismatch") {
      expect(r.computed).toHaveLength(5);
      expect(r.message).toContain("matches none");
    }
  });
  it("says when there is nothing to check", () => {
    expect(checkResponseHash(body, null).status).toBe("no_hash");
    expect(checkResponseHash(null, "abc").status).toBe("no_response");
    expect(checkResponseHash("not json", "abc").status).toBe("unreadable");
  });
});
