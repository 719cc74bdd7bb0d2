// Every endpoint whose success response has a schema is read through tests/support/contract.ts
// by at least one integration test, so a response that drifts from lib/api-contract/ fails one.
import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ENDPOINTS } from "@/lib/api-contract/endpoints";
import { parseResponseBody } from "../support/contract";

describe("response contracts", () => {
  it("parses a success response of every endpoint with a response schema somewhere in the integration tests", () => {
    const dir = import.meta.dirname;
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith(".test.ts") && f !== path.basename(import.meta.filename))
      .map((f) => readFileSync(path.join(dir, f), "utf8"))
      .join("\n");
    const checked = new Set([...sources.matchAll(/"((?:GET|POST|DELETE) \/api\/[^"\s]+)"/g)].map((m) => m[1]));
    const withSchema = ENDPOINTS.filter((e) => Object.entries(e.responses).some(([code, r]) => code.startsWith("2") && r.schema)).map((e) => `${e.method.toUpperCase()} ${e.path}`);
    expect(withSchema.length).toBeGreaterThan(20);
    expect(withSchema.filter((e) => !checked.has(e)), "endpoints no integration test reads through contractJson / parseResponseBody").toEqual([]);
  });

  it("fails on a body that drifted from its schema: a field missing or retyped, a field not described, a status not listed", () => {
    const counts = { total: 0, outcomes: {}, categories: {}, causes: {}, reviews: {} };
    const good = { handoffs: [], next_cursor: null, counts };
    expect(parseResponseBody("GET /api/v1/handoffs", 200, good)).toBe(good);
    expect(() => parseResponseBody("GET /api/v1/handoffs", 200, { handoffs: [], counts })).toThrow(/next_cursor/);
    expect(() => parseResponseBody("GET /api/v1/handoffs", 200, { ...good, next_cursor: 7 })).toThrow(/next_cursor/);
    expect(() => parseResponseBody("GET /api/v1/handoffs", 200, { ...good, counts: { ...counts, extra: 1 } })).toThrow(/does not describe: counts\.extra/);
    expect(() => parseResponseBody("GET /api/v1/handoffs", 418, good)).toThrow(/418, a status its contract does not list/);
    expect(() => parseResponseBody("GET /api/v1/nothing", 200, good)).toThrow(/not in lib\/api-contract/);
  });
});
