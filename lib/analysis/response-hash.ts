// Checks a stored response_hash against the canonical JSON of the stored response.
// The recorder hashes json.dumps(raw_response, sort_keys=True) but which separators and
// ensure_ascii setting it used is not recorded, so every plausible variant is tried and
// the one that matched is named. A mismatch is reported as such, never hidden.
//
// Numbers are kept as the literal text they arrived in (4.0 stays 4.0, as Python writes
// it): re-serializing through JS numbers would turn 4.0 into 4 and fake a mismatch.
import { createHash } from "node:crypto";

type Node =
  | { t: "lit"; text: string } // null, true, false, numbers: kept verbatim
  | { t: "str"; value: string }
  | { t: "arr"; items: Node[] }
  | { t: "obj"; entries: Map<string, Node> };

/** Parses JSON text keeping number literals; throws SyntaxError on bad input. */
export function parsePreservingNumbers(text: string): Node {
  let i = 0;
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at position ${i}`);
  };
  function value(): Node {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const entries = new Map<string, Node>();
      ws();
      if (text[i] === "}") return i++, { t: "obj", entries };
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const k = str();
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        entries.delete(k); // the last duplicate wins, as in Python; keep its place last
        entries.set(k, value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return i++, { t: "obj", entries };
        else fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const items: Node[] = [];
      ws();
      if (text[i] === "]") return i++, { t: "arr", items };
      for (;;) {
        items.push(value());
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return i++, { t: "arr", items };
        else fail("expected ',' or ']'");
      }
    }
    if (c === '"') return { t: "str", value: str() };
    const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|NaN|-?Infinity)/.exec(text.slice(i, i + 400));
    if (!m) return fail("unexpected token");
    i += m[0].length;
    return { t: "lit", text: m[0] };
  }
  function str(): string {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  }
  const v = value();
  ws();
  if (i !== text.length) fail("trailing characters");
  return v;
}

export interface CanonicalVariant {
  name: string;
  itemSeparator: string;
  keySeparator: string;
  ensureAscii: boolean;
}

/** In order of likelihood: Python's json.dumps defaults first. */
export const CANONICAL_VARIANTS: CanonicalVariant[] = [
  { name: 'sort_keys=True, separators (", ", ": "), ensure_ascii=True (Python default)', itemSeparator: ", ", keySeparator: ": ", ensureAscii: true },
  { name: 'sort_keys=True, separators (", ", ": "), ensure_ascii=False', itemSeparator: ", ", keySeparator: ": ", ensureAscii: false },
  { name: 'sort_keys=True, separators (",", ":"), ensure_ascii=True', itemSeparator: ",", keySeparator: ":", ensureAscii: true },
  { name: 'sort_keys=True, separators (",", ":"), ensure_ascii=False', itemSeparator: ",", keySeparator: ":", ensureAscii: false },
];

/** A JSON string as Python's json.dumps writes it (escapes match JSON.stringify's). */
function pyString(s: string, ensureAscii: boolean): string {
  const json = JSON.stringify(s);
  if (!ensureAscii) return json;
  return json.replace(/[\u007f-\uffff]/g, (ch) => "\\u" + ch.charCodeAt(0).toString(16).padStart(4, "0"));
}

/** Python sorts str keys by code point; JS's default sort compares UTF-16 units. */
function byCodePoint(a: string, b: string): number {
  const A = [...a].map((c) => c.codePointAt(0)!);
  const B = [...b].map((c) => c.codePointAt(0)!);
  for (let k = 0; k < Math.min(A.length, B.length); k++) if (A[k] !== B[k]) return A[k] - B[k];
  return A.length - B.length;
}

export function serializeCanonical(node: Node, v: CanonicalVariant): string {
  switch (node.t) {
    case "lit":
      return node.text;
    case "str":
      return pyString(node.value, v.ensureAscii);
    case "arr":
      return "[" + node.items.map((x) => serializeCanonical(x, v)).join(v.itemSeparator) + "]";
    case "obj": {
      const keys = [...node.entries.keys()].sort(byCodePoint);
      return "{" + keys.map((k) => pyString(k, v.ensureAscii) + v.keySeparator + serializeCanonical(node.entries.get(k)!, v)).join(v.itemSeparator) + "}";
    }
  }
}

export type ResponseHashCheck =
  | { status: "match"; variant: string; stored: string }
  | { status: "mismatch"; stored: string; computed: { variant: string; hash: string }[]; message: string }
  | { status: "no_hash"; message: string }
  | { status: "no_response"; message: string }
  | { status: "unreadable"; stored: string; message: string }
  /** Verdict removed secrets from the response before storing it; `at_ingest` is the check of the response as it arrived */
  | { status: "secrets_removed"; stored: string; at_ingest: string; variant?: string; removed: string[]; message: string };

const sha256 = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");

export function checkResponseHash(rawResponse: string | null, storedHash: string | null): ResponseHashCheck {
  if (!storedHash) return { status: "no_hash", message: "No response hash was recorded for this call." };
  if (rawResponse === null) return { status: "no_response", message: "A response hash was recorded but no response body was." };
  const stored = storedHash.trim().toLowerCase();
  let tree: Node;
  try {
    tree = parsePreservingNumbers(rawResponse);
  } catch (e) {
    return { status: "unreadable", stored, message: `The stored response is not JSON (${(e as Error).message}); its hash cannot be checked.` };
  }
  const computed = CANONICAL_VARIANTS.map((v) => ({ variant: v.name, hash: sha256(serializeCanonical(tree, v)) }));
  // The stored text itself, in case the recorder hashed exactly what it stored.
  computed.push({ variant: "the stored response text, byte for byte", hash: sha256(rawResponse) });
  const hit = computed.find((c) => c.hash === stored);
  if (hit) return { status: "match", variant: hit.variant, stored };
  return {
    status: "mismatch",
    stored,
    computed,
    message: `The stored response hash ${stored.slice(0, 12)}… matches none of ${computed.length} canonical forms of the stored response: the response was changed after it was hashed, or hashed differently.`,
  };
}

/**
 * The check for a stored intercept. When Verdict removed secrets from the response at ingest
 * (extra.removed_secrets), the stored body can no longer match the recorder's hash; the check
 * made at ingest on the response as it arrived (extra.response_hash_at_ingest) is reported instead.
 */
export function checkStoredResponseHash(rawResponse: string | null, storedHash: string | null, extra: unknown): ResponseHashCheck {
  const e = (extra && typeof extra === "object" && !Array.isArray(extra) ? extra : {}) as { removed_secrets?: unknown; response_hash_at_ingest?: { status?: unknown; variant?: unknown } };
  const removed = (Array.isArray(e.removed_secrets) ? e.removed_secrets : []).filter((p): p is string => typeof p === "string" && /^raw_response(\.|\s|$)/.test(p));
  if (!storedHash || !removed.length) return checkResponseHash(rawResponse, storedHash);
  const atIngest = typeof e.response_hash_at_ingest?.status === "string" ? e.response_hash_at_ingest.status : "unknown";
  const variant = typeof e.response_hash_at_ingest?.variant === "string" ? e.response_hash_at_ingest.variant : undefined;
  const where = removed.join(", ");
  const message =
    atIngest === "match"
      ? `Verdict removed secrets from this response before storing it (${where}), so the stored body no longer hashes to the recorded value. As it arrived, the response matched the recorded hash (${variant}).`
      : `Verdict removed secrets from this response before storing it (${where}). As it arrived, the response did not match the recorded hash (${atIngest}): it was changed before Verdict received it, or hashed differently.`;
  return { status: "secrets_removed", stored: storedHash.trim().toLowerCase(), at_ingest: atIngest, ...(variant ? { variant } : {}), removed, message };
}
