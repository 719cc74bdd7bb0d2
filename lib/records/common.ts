import { z } from "zod";
import { parseTimestamp, type Instant } from "./timestamp";
import { tryParseJson, type Json, jsonValue } from "./json";
import { jsonDepth, MAX_JSON_DEPTH } from "./json-limits";

/** The `id` a record arrived with (integer row id or UUID); kept as text. */
export const sourceIdField = z
  .union([z.string().min(1).max(512), z.number().int().safe()])
  .nullable()
  .optional()
  .transform((v) => (v === null || v === undefined ? null : String(v)));

export const sourceField = z.string().min(1).max(200).optional().default("default");

export const timestampField = z
  .string()
  .max(64)
  .transform((s, ctx): Instant => {
    const r = parseTimestamp(s);
    if (typeof r === "string") {
      ctx.addIssue({ code: "custom", message: r });
      return z.NEVER;
    }
    return r;
  });

export interface JsonColumn {
  /** what is stored: the JSON text as received, or the serialized value */
  text: string;
  value: Json;
}

/** A JSON column given as a JSON value or as the JSON text the recorder's table holds. */
export const jsonColumn = z.union([z.string(), jsonValue]).transform((v, ctx): JsonColumn => {
  if (typeof v !== "string") return { text: JSON.stringify(v), value: v };
  const parsed = tryParseJson(v);
  if (!parsed) {
    ctx.addIssue({ code: "custom", message: "is a string but not valid JSON text (give the JSON value, or its JSON text)" });
    return z.NEVER;
  }
  // Stored verbatim (so big integers keep every digit), but the pages still walk its value.
  const depth = jsonDepth(parsed.value);
  if (depth > MAX_JSON_DEPTH) {
    ctx.addIssue({ code: "custom", message: `is JSON text nested ${depth} levels deep; at most ${MAX_JSON_DEPTH} are accepted` });
    return z.NEVER;
  }
  return { text: v, value: parsed.value };
});

/** The fields of a record that Verdict did not name, kept so nothing is lost. */
export function unknownFields(record: Record<string, unknown>, known: readonly string[]): Record<string, unknown> | null {
  const rest = Object.entries(record).filter(([k]) => !known.includes(k));
  return rest.length ? Object.fromEntries(rest) : null;
}
