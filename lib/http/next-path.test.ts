import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { safeNextPath } from "./next-path";

describe("sign-in's next: a path on this site, nothing else", () => {
  it("keeps ordinary paths with their query", () => {
    for (const p of ["/", "/agents?sort=leaks", "/agents/a%20b?event=1#x", "/handoffs/h-1"]) expect(safeNextPath(p)).toBe(p);
  });

  it("refuses what a browser could read as another site, and header-breaking characters", () => {
    const bad = [
      "//evil.example", "/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/%0d%0aSet-Cookie:x".replace(/%0d%0a/, "\r\n"),
      "/\\evil.example", "\\\\evil.example", "https://evil.example/", "evil.example", "/a//b", "/\u0000x", "/\u007f", "/\u0085x",
      "", "javascript:alert(1)", " /agents",
    ];
    for (const p of bad) expect(safeNextPath(p), JSON.stringify(p)).toBe("/");
    expect(safeNextPath(undefined)).toBe("/");
    expect(safeNextPath(["/agents"])).toBe("/");
  });

  it("whatever it is given, the result resolves on the same origin and holds no control character", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 40 }), fc.constantFrom("", "/", "//", "/\\", "/\t/", "\\"), (tail, head) => {
        const out = safeNextPath(head + tail);
        expect(out.startsWith("/")).toBe(true);
        expect(/[\u0000-\u001f\u007f-\u009f\\]/.test(out)).toBe(false);
        expect(out.includes("//")).toBe(false);
        expect(new URL(out, "https://verdict.example").origin).toBe("https://verdict.example");
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});
