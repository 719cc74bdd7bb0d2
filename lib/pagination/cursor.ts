// The one codec for the opaque keyset cursors every paged list returns (timeline, handoffs,
// policy decisions): base64url of a JSON array holding the last row's sort key.
// Decoding takes only what an encoder here could have written, because the values go
// straight into SQL: a timestamp must fit a bigint (1e+23 does not, and PostgreSQL fails on
// it) and an id must hold no U+0000 (PostgreSQL text cannot). Anything else is null, which
// the routes answer with 400 on `cursor`.

/** One position of a cursor: a safe integer, a string without U+0000, or one of a few integers. */
export type CursorField = "int" | "id" | readonly number[];

type FieldValue<F> = F extends "id" ? string : number;
type Decoded<S extends readonly CursorField[]> = { [K in keyof S]: FieldValue<S[K]> };

export function encodeCursor(key: readonly (number | string)[]): string {
  return Buffer.from(JSON.stringify(key), "utf8").toString("base64url");
}

/** The key, or null when the text is not a cursor this API returned. */
export function decodeCursor<const S extends readonly CursorField[]>(text: string, shape: S): Decoded<S> | null {
  let v: unknown;
  try {
    v = JSON.parse(Buffer.from(text, "base64url").toString("utf8"));
  } catch {
    return null; // not base64 JSON
  }
  if (!Array.isArray(v) || v.length !== shape.length) return null;
  const ok = shape.every((field, i) => {
    const x: unknown = v[i];
    if (field === "id") return typeof x === "string" && !x.includes("\u0000");
    if (field === "int") return Number.isSafeInteger(x);
    return typeof x === "number" && field.includes(x);
  });
  return ok ? (v as Decoded<S>) : null;
}

/** The cursor of lists ordered by (ts, id): handoffs, policy decisions. */
export interface TsIdCursor {
  ts: number;
  id: string;
}

export const encodeTsIdCursor = (c: TsIdCursor) => encodeCursor([c.ts, c.id]);

export function decodeTsIdCursor(text: string): TsIdCursor | null {
  const key = decodeCursor(text, ["int", "id"] as const);
  return key && { ts: key[0], id: key[1] };
}
