// The evaluator's verification modes (docs/records.md, Handoffs), applied to one claim and the
// recorded response it rests on. Mirrors the evaluator's rules and detail messages, so a
// recomputed result can be set beside the one the evaluator sent.
import { JSONPath } from "jsonpath-plus";
import { Ajv2020 } from "ajv/dist/2020.js";
import type { RegExpEngine } from "ajv/dist/types/index.js";
import { RE2JS } from "re2js";
import { canonicalJson, type Json } from "../records/json";

export type Outcome = "PASS" | "CAUGHT" | "ERROR";

/** The value a JSONPath names in a response, or why there is none. */
export type AtPath = { found: true; value: Json } | { found: false; reason: string };

/** "$.a.b", "a.b", "[0].x", "$" or "" → a JSONPath jsonpath-plus reads ("" and "$" are the root). */
export function toJsonPath(path: string | null | undefined): string {
  const p = (path ?? "").trim();
  if (!p || p === "$") return "$";
  if (p.startsWith("$")) return p;
  return p.startsWith("[") ? `$${p}` : `$.${p}`;
}

/** The value at `path` in `root` (the first match). Script filters are never evaluated. */
export function valueAtPath(root: Json, path: string | null | undefined): AtPath {
  const jp = toJsonPath(path);
  if (jp === "$") return { found: true, value: root };
  if (root === null || typeof root !== "object") return { found: false, reason: `json_path: ${jp} not found (the response is not an object or array)` };
  let matches: unknown[];
  try {
    matches = JSONPath({ path: jp, json: root, wrap: true, eval: false }) as unknown[];
  } catch (e) {
    return { found: false, reason: `json_path: ${jp} is not a valid JSONPath (${(e as Error).message})` };
  }
  if (!Array.isArray(matches) || matches.length === 0) return { found: false, reason: `json_path: ${jp} not found in the recorded response` };
  return { found: true, value: matches[0] as Json };
}

/**
 * How a detail message quotes a recorded value. A redacted share quotes a hash and size instead
 * (lib/shares/redact.ts), so no rendering of a body gets through.
 */
export type Quote = (v: Json) => string;
export const quoteJson: Quote = (v) => canonicalJson(v);

export interface ModeResult {
  result: Outcome;
  detail: string | null;
  atPath: AtPath;
}

export interface ModeClaim {
  mode: string;
  claimedValue: Json | undefined;
  jsonPath: string | null;
  expectedSchema?: Json;
  rangeMin?: number | null;
  rangeMax?: number | null;
  /** the call_ref generation compares values as stripped strings */
  stringCompare?: boolean;
}

const pass = (atPath: AtPath): ModeResult => ({ result: "PASS", detail: null, atPath });
const caught = (atPath: AtPath, detail: string): ModeResult => ({ result: "CAUGHT", detail, atPath });

/** Applies the claim's mode to the recorded response. */
export function applyMode(claim: ModeClaim, recorded: Json, quote: Quote = quoteJson): ModeResult {
  const claimed = claim.claimedValue === undefined ? null : claim.claimedValue;
  if (claim.mode === "verbatim") {
    const root: AtPath = { found: true, value: recorded };
    return canonicalJson(claimed) === canonicalJson(recorded) ? pass(root) : caught(root, "claimed value differs from the whole recorded response");
  }
  if (!["field_extraction", "schema_type", "range_threshold"].includes(claim.mode)) {
    return { result: "ERROR", detail: `unknown verification_mode ${JSON.stringify(claim.mode)}`, atPath: { found: false, reason: "not evaluated" } };
  }
  const atPath = valueAtPath(recorded, claim.jsonPath);
  if (!atPath.found) return caught(atPath, atPath.reason);
  const v = atPath.value;
  if (claim.mode === "field_extraction") {
    if (claim.stringCompare) return stripped(claimed) === stripped(v) && v !== null ? pass(atPath) : caught(atPath, "value mismatch");
    return canonicalJson(claimed) === canonicalJson(v) ? pass(atPath) : caught(atPath, "value mismatch");
  }
  if (claim.mode === "schema_type") return schemaType(claim.expectedSchema, atPath);
  return rangeThreshold(claim, claimed, atPath, quote);
}

/** Python's str() of a recorded value, stripped, as the call_ref generation compares. */
export function stripped(v: Json | undefined): string {
  if (v === null || v === undefined) return "None";
  if (typeof v === "string") return v.trim();
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "number") return String(v);
  return canonicalJson(v);
}

/**
 * A claim's schema comes from the record, so its `pattern` and `patternProperties` are
 * user-supplied regular expressions. JavaScript's backtracking engine takes exponential time
 * on patterns like ^(a+)+$, on the request thread; RE2 (re2js, a kept pure-JS port: no native
 * build, no binary download) matches in time linear in the input. RE2 refuses lookaround and
 * backreferences, which JSON Schema patterns rarely use: such a schema is reported as invalid.
 */
export const linearRegExp: RegExpEngine = Object.assign(
  (pattern: string) => {
    const re = RE2JS.compile(pattern);
    // ajv caches compiled patterns by toString(): it must name the pattern.
    return { test: (s: string) => re.test(s), toString: () => `re2:${pattern}` };
  },
  { code: "re2js" },
);

function schemaType(schema: Json | undefined, atPath: AtPath & { found: true }): ModeResult {
  if (schema === undefined || schema === null || (typeof schema === "object" && Object.keys(schema).length === 0)) {
    return caught(atPath, "expected_json_schema is required for schema_type");
  }
  // One instance: building one compiles the draft 2020-12 meta-schemas (~100 ms). Each claim's
  // schema is removed again after use, so the cache does not grow with every handoff viewed.
  const ajv = (schemaAjv ??= new Ajv2020({ strict: false, allErrors: false, validateFormats: false, code: { regExp: linearRegExp } }));
  let validate;
  try {
    validate = ajv.compile(schema as object);
  } catch (e) {
    return caught(atPath, `invalid schema: ${(e as Error).message}`);
  }
  try {
    if (validate(atPath.value)) return pass(atPath);
    const err = validate.errors?.[0];
    return caught(atPath, err ? `${err.instancePath || "value"} ${err.message ?? "does not match the schema"}` : "does not match the schema");
  } finally {
    ajv.removeSchema(schema as object);
  }
}

let schemaAjv: Ajv2020 | undefined;

/** A number as the evaluator coerces one: numbers and numeric strings; booleans are not. */
export function coerceNumber(v: Json | undefined): number | null {
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v.trim()))) return Number(v.trim());
  return null;
}

export const RANGE_TOLERANCE = 1e-9;

function rangeThreshold(claim: ModeClaim, claimed: Json, atPath: AtPath & { found: true }, quote: Quote): ModeResult {
  const min = claim.rangeMin ?? null;
  const max = claim.rangeMax ?? null;
  if (min === null && max === null) return caught(atPath, "range_threshold requires range_min and/or range_max");
  const value = coerceNumber(atPath.value);
  if (value === null) return caught(atPath, `indexed value not numeric: ${quote(atPath.value)}`);
  if (min !== null && value < min) return caught(atPath, `value ${quote(value)} below range_min ${min}`);
  if (max !== null && value > max) return caught(atPath, `value ${quote(value)} above range_max ${max}`);
  const c = coerceNumber(claimed);
  if (c === null || Math.abs(c - value) > RANGE_TOLERANCE) return caught(atPath, "claimed_value does not match indexed numeric at path");
  return pass(atPath);
}

/** Any CAUGHT → CAUGHT; else any ERROR → ERROR; else PASS (also for no results). */
export function combineOutcomes(results: Outcome[]): Outcome {
  if (results.includes("CAUGHT")) return "CAUGHT";
  if (results.includes("ERROR")) return "ERROR";
  return "PASS";
}
