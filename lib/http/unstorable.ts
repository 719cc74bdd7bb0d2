// U+0000 cannot appear in any stored text (PostgreSQL refuses it), so a query or path
// parameter holding it can match nothing. The API routes answer 400 and the pages show the
// same error (lib/http/page-params.ts), rather than failing in the database.
import type { ErrorDetail } from "./errors";

const NUL = "\u0000";
const MESSAGE = "contains the character U+0000";

/** A path segment as Next.js may hand it over: still percent-encoded, or decoded. */
function decoded(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}

export function unstorableTextDetails(query: Iterable<[string, string]>, params: Record<string, unknown>): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const [k, v] of query) if (k.includes(NUL) || v.includes(NUL)) details.push({ path: k.replaceAll(NUL, "\\0"), message: MESSAGE });
  for (const [k, v] of Object.entries(params)) {
    const values = Array.isArray(v) ? v : [v];
    if (values.some((x) => typeof x === "string" && (x.includes(NUL) || decoded(x).includes(NUL)))) details.push({ path: k, message: MESSAGE });
  }
  return details;
}

export const UNSTORABLE_MESSAGE = "The request holds the character U+0000, which no record can contain.";
