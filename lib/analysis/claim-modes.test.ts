import { describe, expect, it } from "vitest";
import { applyMode, combineOutcomes, valueAtPath } from "./claim-modes";

const weather = { current: { temperature_2m: 4.2, time: "2026-01-01T10:00" }, hourly: [{ t: 1 }, { t: 2 }] };

describe("valueAtPath", () => {
  it("reads JSONPath, bare dotted paths and the root", () => {
    expect(valueAtPath(weather, "$.current.temperature_2m")).toEqual({ found: true, value: 4.2 });
    expect(valueAtPath(weather, "hourly[1].t")).toEqual({ found: true, value: 2 });
    expect(valueAtPath(weather, "$")).toEqual({ found: true, value: weather });
    expect(valueAtPath(weather, "$.nope").found).toBe(false);
  });
  it("never evaluates script filters", () => {
    expect(valueAtPath(weather, "$.hourly[?(@.t==1)]").found).toBe(false);
  });
});

describe("applyMode", () => {
  it("verbatim compares canonical JSON of the whole response (key order does not matter)", () => {
    const reordered = { hourly: weather.hourly, current: { time: "2026-01-01T10:00", temperature_2m: 4.2 } };
    expect(applyMode({ mode: "verbatim", claimedValue: reordered, jsonPath: null }, weather).result).toBe("PASS");
    expect(applyMode({ mode: "verbatim", claimedValue: { ...reordered, extra: 1 }, jsonPath: null }, weather).result).toBe("CAUGHT");
  });
  it("field_extraction compares the value at the path exactly", () => {
    expect(applyMode({ mode: "field_extraction", claimedValue: 4.2, jsonPath: "$.current.temperature_2m" }, weather).result).toBe("PASS");
    expect(applyMode({ mode: "field_extraction", claimedValue: "4.2", jsonPath: "$.current.temperature_2m" }, weather)).toMatchObject({ result: "CAUGHT", detail: "value mismatch" });
    expect(applyMode({ mode: "field_extraction", claimedValue: 4.2, jsonPath: "$.current.temp" }, weather).detail).toMatch(/not found/);
  });
  it("the call_ref generation compares stripped strings", () => {
    expect(applyMode({ mode: "field_extraction", claimedValue: " 4.2 ", jsonPath: "$.current.temperature_2m", stringCompare: true }, weather).result).toBe("PASS");
    expect(applyMode({ mode: "field_extraction", claimedValue: "4.3", jsonPath: "$.current.temperature_2m", stringCompare: true }, weather).result).toBe("CAUGHT");
    expect(applyMode({ mode: "field_extraction", claimedValue: "True", jsonPath: "$.ok", stringCompare: true }, { ok: true }).result).toBe("PASS");
  });
  it("schema_type validates the value at the path with a JSON Schema", () => {
    const claim = { mode: "schema_type", claimedValue: null, jsonPath: "$.current.temperature_2m" };
    expect(applyMode({ ...claim, expectedSchema: { type: "number", minimum: 0 } }, weather).result).toBe("PASS");
    expect(applyMode({ ...claim, expectedSchema: { type: "integer" } }, weather)).toMatchObject({ result: "CAUGHT", detail: "value must be integer" });
    expect(applyMode({ ...claim, expectedSchema: {} }, weather).detail).toBe("expected_json_schema is required for schema_type");
    expect(applyMode({ ...claim, expectedSchema: { type: "nonsense" } }, weather).detail).toMatch(/^invalid schema/);
  });
  it("runs a schema's regular expressions in linear time: a catastrophic pattern costs milliseconds", () => {
    const claim = { mode: "schema_type", claimedValue: null, jsonPath: "$.s" };
    const hostile = { s: "a".repeat(31) + "!" };
    applyMode({ ...claim, expectedSchema: { type: "string", pattern: "^b+$" } }, hostile); // compiles ajv's code once: not what is measured
    const started = performance.now();
    expect(applyMode({ ...claim, expectedSchema: { type: "string", pattern: "^(a+)+$" } }, hostile)).toMatchObject({ result: "CAUGHT", detail: 'value must match pattern "^(a+)+$"' });
    // A JavaScript RegExp takes seconds on this input (13.5 s measured in issue 15).
    expect(performance.now() - started).toBeLessThan(100);
    expect(applyMode({ ...claim, expectedSchema: { type: "object", patternProperties: { "^(a+)+$": { type: "number" } } } }, { s: { ["a".repeat(40) + "!"]: "x" } }).result).toBe("PASS");
    expect(applyMode({ ...claim, expectedSchema: { pattern: "^a+$" } }, { s: "aaa" }).result).toBe("PASS");
    expect(applyMode({ ...claim, expectedSchema: { pattern: "^\\p{L}+$" } }, { s: "été" }).result).toBe("PASS");
    // A schema naming the meta-schema's $id cannot unseat it in the shared instance.
    const meta = { $id: "https://json-schema.org/draft/2020-12/schema", type: "string" };
    expect(applyMode({ ...claim, expectedSchema: meta }, { s: 1 }).detail).toMatch(/^invalid schema/);
    expect(applyMode({ ...claim, expectedSchema: { $id: "https://x.example/s", type: "number" } }, { s: 1 }).result).toBe("PASS");
    expect(applyMode({ ...claim, expectedSchema: { $id: "https://x.example/s", type: "string" } }, { s: 1 }).result).toBe("CAUGHT");
    expect(applyMode({ ...claim, expectedSchema: { type: "nonsense" } }, { s: 1 }).detail).toMatch(/^invalid schema/);
    expect(applyMode({ ...claim, expectedSchema: { pattern: "(?=a)" } }, { s: "a" }).detail).toMatch(/^invalid schema: .*Perl syntax/);
  });
  it("range_threshold checks the bounds and the claimed number within 1e-9", () => {
    const claim = { mode: "range_threshold", jsonPath: "$.current.temperature_2m", rangeMin: -60, rangeMax: 60 };
    expect(applyMode({ ...claim, claimedValue: 4.2 + 1e-10 }, weather).result).toBe("PASS");
    expect(applyMode({ ...claim, claimedValue: 4.2 + 1e-8 }, weather).detail).toBe("claimed_value does not match indexed numeric at path");
    expect(applyMode({ ...claim, claimedValue: 4.2, rangeMax: 4 }, weather).detail).toBe("value 4.2 above range_max 4");
    expect(applyMode({ ...claim, claimedValue: 4.2, rangeMin: 5 }, weather).detail).toBe("value 4.2 below range_min 5");
    expect(applyMode({ ...claim, claimedValue: 4.2, rangeMin: null, rangeMax: null }, weather).detail).toBe("range_threshold requires range_min and/or range_max");
    expect(applyMode({ ...claim, claimedValue: true, jsonPath: "$.ok" }, { ok: true }).detail).toMatch(/not numeric/);
  });
  it("an unknown mode is an ERROR", () => {
    expect(applyMode({ mode: "vibes", claimedValue: 1, jsonPath: null }, weather).result).toBe("ERROR");
  });
});

describe("combineOutcomes", () => {
  it("any CAUGHT → CAUGHT, else any ERROR → ERROR, else PASS", () => {
    expect(combineOutcomes(["PASS", "ERROR", "CAUGHT"])).toBe("CAUGHT");
    expect(combineOutcomes(["PASS", "ERROR"])).toBe("ERROR");
    expect(combineOutcomes([])).toBe("PASS");
  });
});
