// sourcerykit 1.0.1's evaluate_claim (evaluator/_eval_modes.py), applied to the recorded
// response a generation-B claim rests on. Its own path walker and comparisons, not the
// JSONPath of contract 2.0: a claim judged here gets the result that evaluator would give.
import { isPlainObject, tryParseJson, type Json } from "../records/json";
import { quoteJson, stripped, type AtPath, type ModeResult, type Quote } from "./claim-modes";
import type { ClaimedEntry } from "./claims";

/** msgspec's Encoder(order="sorted"): sorted keys, compact separators, no ASCII escaping. */
export function compactCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map(compactCanonicalJson).join(",") + "]";
  const obj = value as Record<string, unknown>;
  return "{" + Object.keys(obj).sort().map((k) => JSON.stringify(k) + ":" + compactCanonicalJson(obj[k])).join(",") + "}";
}

export class PathError extends Error {
  constructor(
    /** the Python exception the evaluator would see */
    readonly kind: "KeyError" | "IndexError" | "TypeError",
    message: string,
  ) {
    super(message);
  }
}

/** _get_by_json_path: "$" / "" is the root; "$.a[0].b" and "a.0.b" walk dict keys and list indexes. */
export function getByJsonPath(obj: Json, path: string | null | undefined): Json {
  let p = (path ?? "").trim();
  if (p.startsWith("$")) p = p.slice(1).replace(/^\.+/, "").trim();
  if (!p) return obj;
  const normalized = p.replaceAll("[", ".").replaceAll("]", "");
  let cursor: Json = obj;
  for (const raw of normalized.split(".")) {
    if (!raw || !raw.trim()) continue;
    const segment = raw.trim();
    if (isPlainObject(cursor)) {
      if (!(segment in cursor)) throw new PathError("KeyError", `'${segment}'`);
      cursor = cursor[segment] as Json;
    } else if (Array.isArray(cursor)) {
      if (!/^\d+$/.test(segment)) throw new PathError("TypeError", `Cannot index list with string key '${segment}'`);
      const idx = Number(segment);
      if (idx >= cursor.length) throw new PathError("IndexError", `index ${idx} out of range`);
      cursor = cursor[idx];
    } else {
      throw new PathError("TypeError", `Expected dict or list at segment '${segment}', got ${pyTypeName(cursor)}`);
    }
  }
  return cursor;
}

function pyTypeName(v: Json): string {
  if (v === null) return "NoneType";
  if (typeof v === "string") return "str";
  if (typeof v === "boolean") return "bool";
  if (typeof v === "number") return Number.isInteger(v) ? "int" : "float";
  return "object";
}

/** _coerce_number: numbers and numeric strings; booleans and anything else are not numbers. */
function coerce(v: unknown): number | null {
  if (typeof v === "boolean") return null;
  if (typeof v === "number") return v;
  if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v.trim()))) return Number(v.trim());
  return null;
}

export interface SourcerykitClaim {
  mode: string;
  claimedValue: Json | undefined;
  jsonPath: string | null;
  entries?: ClaimedEntry[];
  rangeMin: number | null;
  rangeMax: number | null;
}

/** One entry of a field_extraction claim against the response: equal as the evaluator compares, or why not. */
export function compareEntry(entry: ClaimedEntry, response: Json, quote: Quote = quoteJson): { equal: boolean; recorded: AtPath; detail: string | null } {
  let raw: Json;
  try {
    raw = getByJsonPath(response, entry.path);
  } catch (e) {
    const err = e as PathError;
    // The 1.0.1 evaluator does not catch this one: evaluate_handoff raises and the row's outcome stays NULL.
    return {
      equal: false,
      recorded: { found: false, reason: `${entry.path}: ${err.kind} ${err.message}` },
      detail: `path ${entry.path} not found in the recorded response (${err.kind} ${err.message}: the 1.0.1 evaluator raises here and records no outcome)`,
    };
  }
  let value = typeof entry.value === "string" ? entry.value : compactCanonicalJson(entry.value);
  let trueValue: string | null;
  if (Array.isArray(raw) || isPlainObject(raw)) {
    trueValue = compactCanonicalJson(raw);
    const parsed = tryParseJson(value.trim());
    if (parsed && (Array.isArray(parsed.value) || isPlainObject(parsed.value))) value = compactCanonicalJson(parsed.value);
  } else {
    trueValue = raw === null ? null : stripped(raw);
  }
  const equal = trueValue !== null && value.trim() === trueValue.trim();
  // A redacted share quotes the recorded value by its hash (quote), never as text.
  const shown = trueValue === null ? "None" : quote === quoteJson ? trueValue : quote(raw);
  return { equal, recorded: { found: true, value: raw }, detail: equal ? null : `value at ${entry.path} is ${shown}, claimed ${value.trim()}` };
}

/** evaluate_claim of sourcerykit 1.0.1. The evaluator's own detail strings where it has them. */
export function applySourcerykitMode(claim: SourcerykitClaim, response: Json, quote: Quote = quoteJson): ModeResult {
  const jsonPath = (claim.jsonPath ?? "").trim() || "$";
  let atPathValue: Json;
  try {
    atPathValue = getByJsonPath(response, jsonPath);
  } catch (e) {
    const err = e as PathError;
    return { result: "CAUGHT", detail: `json_path: ${err.message}`, atPath: { found: false, reason: `json_path: ${err.message}` } };
  }
  const atPath: AtPath = { found: true, value: atPathValue };
  if (claim.mode === "field_extraction") {
    const entries = claim.entries ?? [];
    if (!Array.isArray(claim.claimedValue)) {
      // `for entry in claimed_value` over a non-list: the evaluator raises (TypeError), no outcome.
      return { result: "CAUGHT", detail: "claimed_value is not a list of {path, value}: the 1.0.1 evaluator raises here and records no outcome", atPath };
    }
    for (const entry of entries) {
      const r = compareEntry(entry, response, quote);
      if (!r.equal) return { result: "CAUGHT", detail: r.detail, atPath: entries.length === 1 ? r.recorded : atPath };
    }
    // A single entry: show its recorded value (the claim's own json_path is usually "").
    const only = entries.length === 1 ? compareEntry(entries[0], response, quote).recorded : atPath;
    return { result: "PASS", detail: null, atPath: only };
  }
  if (claim.mode === "range_threshold") {
    if (claim.rangeMin === null && claim.rangeMax === null) return { result: "CAUGHT", detail: "range_threshold requires range_min and/or range_max", atPath };
    let value: number;
    if (Array.isArray(atPathValue)) {
      if (!atPathValue.length) return { result: "CAUGHT", detail: "indexed list is empty; cannot compute average", atPath };
      const nums = atPathValue.map(coerce);
      if (nums.some((n) => n === null)) return { result: "CAUGHT", detail: "list element not numeric", atPath };
      value = (nums as number[]).reduce((a, b) => a + b, 0) / nums.length;
    } else {
      const n = coerce(atPathValue);
      if (n === null) return { result: "CAUGHT", detail: `indexed value not numeric: not numeric: ${pyTypeName(atPathValue)}`, atPath };
      value = n;
    }
    if (claim.rangeMin !== null && value < claim.rangeMin) return { result: "CAUGHT", detail: `value ${quote(value)} below range_min ${claim.rangeMin}`, atPath };
    if (claim.rangeMax !== null && value > claim.rangeMax) return { result: "CAUGHT", detail: `value ${quote(value)} above range_max ${claim.rangeMax}`, atPath };
    // 1.0.1 coerces the whole claimed_value, which the builder always makes a list: this never matches.
    const c = coerce(claim.claimedValue);
    if (c === null || Math.abs(c - value) > 1e-9) return { result: "CAUGHT", detail: "claimed_value does not match indexed numeric at path", atPath };
    return { result: "PASS", detail: null, atPath };
  }
  return { result: "ERROR", detail: `unknown verification_mode ${JSON.stringify(claim.mode)}`, atPath: { found: false, reason: "not evaluated" } };
}
