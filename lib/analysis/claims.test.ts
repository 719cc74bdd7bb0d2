import { describe, expect, it } from "vitest";
import { readClaims, resolveClaim } from "./claims";
import { call, handoff, llm, weatherClaim } from "./handoff-fixtures.test-helpers";

describe("readClaims", () => {
  it("reads a call_ref claim as one claim per claimed value", () => {
    const claims = readClaims({ claims: [{ call_ref: "r1", claimed_values: [{ path: "$.a", value: "1" }, { path: "$.b", value: "x" }] }] });
    expect(claims.map((c) => [c.generation, c.callRef, c.jsonPath, c.claimedValue, c.mode])).toEqual([
      ["call_ref", "r1", "$.a", "1", "field_extraction"],
      ["call_ref", "r1", "$.b", "x", "field_extraction"],
    ]);
  });
});

describe("resolveClaim", () => {
  const h = handoff([weatherClaim({ query_record_id: "2" })]);
  const [claim] = readClaims(h.payload);
  const tool = call("int_1", { ts: 100 });
  const leaked = llm("int_2", { ts: 200, isLeak: true, leakToolId: "int_1" });
  const later = call("int_3", { ts: 2000 });
  const otherSource = call("int_4", { source: "other", sourceId: "2", ts: 50 });

  it("resolves by query_record_id (same source only), and by the loader's rule: newest row for the tag at or before the handoff", () => {
    const r = resolveClaim(h, claim, [tool, leaked, later, otherSource]);
    expect(r).toMatchObject({ resolvedBy: "query_record_id" });
    expect(r.byRecordId?.id).toBe("int_2");
    expect(r.byLoader?.id).toBe("int_2"); // the LLM call: it is the newest row carrying the tag
    expect(r.toolCall?.id).toBe("int_1");
    expect(r.disagreements).toEqual([]);
  });
  it("says when query_record_id and the loader point at different rows", () => {
    const h2 = handoff([weatherClaim({ query_record_id: "1" })]);
    const r = resolveClaim(h2, readClaims(h2.payload)[0], [tool, leaked]);
    expect(r.resolved?.id).toBe("int_1");
    expect(r.disagreements).toEqual(["query_record_id 1 points at int_1, but the loader (newest row tagged fetch_weather) points at int_2."]);
  });
  it("falls back to call_ref, then to the loader, and reports a query_record_id that names nothing", () => {
    const h3 = handoff([weatherClaim({ query_record_id: "99", call_ref: "ref-1" })]);
    const r = resolveClaim(h3, readClaims(h3.payload)[0], [tool, call("int_5", { callRef: "ref-1", ts: 90 })]);
    expect(r).toMatchObject({ resolvedBy: "call_ref" });
    expect(r.resolved?.id).toBe("int_5");
    expect(r.disagreements).toContain("query_record_id 99 names no recorded intercept of source s.");
    const h4 = handoff([weatherClaim()]);
    expect(resolveClaim(h4, readClaims(h4.payload)[0], [tool]).resolvedBy).toBe("loader");
  });
});
