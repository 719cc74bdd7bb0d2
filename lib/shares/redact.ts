// With redaction on, a shared view shows a body's SHA-256 and size instead of the body.
import { canonicalJson, sha256Hex, type Json } from "../records/json";

export interface RedactedBody {
  redacted: true;
  sha256: string;
  bytes: number;
}

export function redactBody(text: string | null): RedactedBody | null {
  if (text === null) return null;
  return { redacted: true, sha256: sha256Hex(text), bytes: Buffer.byteLength(text, "utf8") };
}

export function isRedacted(v: unknown): v is RedactedBody {
  return typeof v === "object" && v !== null && (v as RedactedBody).redacted === true && typeof (v as RedactedBody).sha256 === "string";
}

/** How a redacted share's details and causes quote a recorded value: its size and hash, never the value. */
export function quoteRedacted(v: Json): string {
  const r = redactBody(canonicalJson(v))!;
  return `[redacted: ${r.bytes} bytes, sha256 ${r.sha256.slice(0, 12)}…]`;
}
