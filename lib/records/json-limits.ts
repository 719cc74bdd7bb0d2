// What a JSON value must satisfy before Verdict stores it, so nothing is stored altered
// and nothing strange reaches the database or the pages:
// - at most MAX_JSON_DEPTH levels of nesting (pages and analysis walk values recursively);
// - no U+0000 (PostgreSQL text cannot hold it; both databases refuse it alike);
// - no unpaired UTF-16 surrogate (it has no UTF-8 form: the database would store U+FFFD);
// - no key named "__proto__": parsers and schema libraries turn it into a prototype, so it
//   would silently vanish from what is stored; refusing it says so instead;
// - numbers that JSON.parse holds exactly: finite, and integers within ±(2^53 − 1).
//   A JSON column given as JSON text is stored verbatim, so send big integers that way.

export const MAX_JSON_DEPTH = 64;

export interface JsonProblem {
  /** dotted path inside the value ("" for the value itself) */
  path: string;
  message: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textProblem(s: string): string | null {
  if (s.includes("\u0000")) return "contains the character U+0000, which Verdict cannot store";
  if (LONE_SURROGATE.test(s)) return "contains an unpaired UTF-16 surrogate (not valid Unicode), which cannot be stored unaltered";
  return null;
}

function numberProblem(n: number): string | null {
  if (!Number.isFinite(n)) return "is not a finite number";
  if (Number.isInteger(n) && !Number.isSafeInteger(n)) {
    return "is an integer beyond 2^53, which cannot be held exactly; send this JSON as text (a string) to keep every digit";
  }
  return null;
}

/** Nesting depth of a value (a scalar is 1). */
export function jsonDepth(value: unknown): number {
  let depth = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (d > depth) depth = d;
    if (v !== null && typeof v === "object") for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return depth;
}

/**
 * The first problem of a parsed JSON value, or null. Iterative, so hostile nesting cannot
 * blow the stack; the depth is checked first, so nothing deeper is walked.
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | null {
  // Depth first and alone: the path walk below would otherwise build huge path strings.
  const depth = jsonDepth(value);
  if (depth > maxDepth) return { path: "", message: `is nested ${depth} levels deep; at most ${maxDepth} are accepted` };
  const stack: [unknown, string][] = [[value, ""]];
  while (stack.length) {
    const [v, at] = stack.pop()!;
    if (typeof v === "string") {
      const m = textProblem(v);
      if (m) return { path: at, message: m };
    } else if (typeof v === "number") {
      const m = numberProblem(v);
      if (m) return { path: at, message: m };
    } else if (v !== null && typeof v === "object") {
      for (const [k, child] of Object.entries(v)) {
        const childPath = at ? `${at}.${k}` : k;
        if (k === "__proto__") return { path: at, message: 'has a key named "__proto__", which cannot be stored as data' };
        const m = textProblem(k);
        if (m) return { path: at, message: `has a key that ${m}` };
        stack.push([child, childPath]);
      }
    }
  }
  return null;
}
