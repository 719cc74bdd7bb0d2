// Pages check their parameters as the API routes do (lib/http/route.ts): what the API answers
// with 400, a page answers with the same error shown (components/ui/invalid-request.tsx),
// never a 500 from the database.
import type { ErrorDetail } from "./errors";
import { unstorableTextDetails } from "./unstorable";

type Search = Record<string, string | string[] | undefined>;

export function pageParamProblems(params: Record<string, unknown> = {}, search: Search = {}): ErrorDetail[] {
  const query = Object.entries(search).flatMap(([k, v]) => (v === undefined ? [] : (Array.isArray(v) ? v : [v]).map((x): [string, string] => [k, x])));
  return unstorableTextDetails(query, params);
}

/** A dynamic segment as the page gets it (percent-encoded); malformed encoding is kept as sent, not a 500. */
export function decodeParam(v: string): string {
  try {
    return decodeURIComponent(v);
  } catch {
    return v;
  }
}
