import { describe, expect, it } from "vitest";
import { copyField, copyLines } from "./copy-text";

describe("COPY text format", () => {
  it("escapes what COPY would misread and writes NULL as \\N", () => {
    expect(copyField(null)).toBe("\\N");
    expect(copyField(false)).toBe("f");
    expect(copyField(12)).toBe("12");
    expect(copyField('a\tb\nc\\d\re {"x": "\\u00e9"}')).toBe('a\\tb\\nc\\\\d\\re {"x": "\\\\u00e9"}');
  });
  it("writes one tab-separated line per row", () => {
    expect(copyLines([["a", null, 1], ["b", "c", true]])).toBe("a\t\\N\t1\nb\tc\tt\n");
  });
});
