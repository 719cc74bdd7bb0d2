import { createHash } from "node:crypto";
import { z } from "zod";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Whether a value is what JSON.parse can produce: null, booleans, finite numbers, strings,
 * arrays and plain objects, at any depth. Iterative, so deep values cannot blow the stack.
 */
export function isJsonValue(value: unknown): value is Json {
  const stack: unknown[] = [value];
  while (stack.length) {
    const v = stack.pop();
    if (v === null || typeof v === "string" || typeof v === "boolean") continue;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) return false;
      continue;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) stack.push(v[i]);
      continue;
    }
    if (typeof v !== "object") return false;
    const proto = Object.getPrototypeOf(v);
    if (proto !== Object.prototype && proto !== null) return false;
    for (const k in v) if (Object.hasOwn(v, k)) stack.push((v as Record<string, unknown>)[k]);
  }
  return true;
}

/**
 * Any JSON value. One walk instead of a recursive zod union: on ingest that union was the
 * largest cost of validation (a 1 KB payload is hundreds of nested parses).
 */
export const jsonValue: z.ZodType<Json> = z
  .custom<Json>((v) => isJsonValue(v), { message: "must be a JSON value (null, boolean, finite number, string, array or object)" })
  .meta({ description: "Any JSON value" });

/**
 * Canonical JSON as the Python libraries write it: sorted keys, no ASCII escaping,
 * `json.dumps(sort_keys=True, ensure_ascii=False)` separators (", " and ": ").
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value) ?? "null";
  if (Array.isArray(value)) return "[" + value.map(canonicalJson).join(", ") + "]";
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj).sort();
  return "{" + keys.map((k) => JSON.stringify(k) + ": " + canonicalJson(obj[k])).join(", ") + "}";
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** Parses JSON text; returns undefined when it is not JSON. */
export function tryParseJson(text: string): { value: Json } | undefined {
  try {
    return { value: JSON.parse(text) as Json };
  } catch {
    return undefined;
  }
}

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
