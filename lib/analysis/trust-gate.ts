// The evaluator's trust gate, recomputed: every claim's URL must be in the handoff's
// trusted snapshot (`trusted_endpoint_registry`), matched the way that generation matches:
//   exact  — provably-sdk 0.2.0 (generation A): normalized URL equal to an entry, or matching
//            an entry's {name} / {name:path} placeholders;
//   prefix — sourcerykit 1.0.1 (generation B): the sanitized URL LIKE entry || '%'.
// The evaluator also checks a live per-org registry Verdict never sees; URLs it reported
// as untrusted there are passed in from its own error messages.

/**
 * The form URLs are compared in, as the evaluator normalizes them: scheme and host
 * lowercased, the default port dropped, the query and trailing slashes removed.
 * Empty input gives "".
 */
export function normalizeUrlForTrust(url: string | null | undefined): string {
  const raw = (url ?? "").trim();
  if (!raw) return "";
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(raw);
  if (!m) return raw.toLowerCase();
  const scheme = m[1].toLowerCase();
  const authority = m[2].replace(/^[^@]*@/, ""); // credentials are not part of the endpoint
  const hp = /^(\[[^\]]*\]|[^:]*)(?::(\d*))?$/.exec(authority);
  const host = (hp?.[1] ?? "").toLowerCase();
  if (!host) return raw.toLowerCase();
  const port = hp?.[2] ? Number(hp[2]) : null;
  const isDefault = (scheme === "http" && port === 80) || (scheme === "https" && port === 443);
  const netloc = port && !isDefault ? `${host}:${port}` : host;
  const path = m[3].replace(/\/+$/, "");
  return `${scheme}://${netloc}${path}`;
}

export const MISSING_PREFIX = "handoff has endpoints missing from trusted snapshot: ";
export const UNTRUSTED_PREFIX = "handoff has untrusted endpoints: ";

export type TrustMatch = "exact" | "prefix";

/** provably-sdk 0.2.0's _compile_pattern: {name} is one path segment, {name:path} any subtree. */
function placeholderRegex(entry: string): RegExp | null {
  if (!entry.includes("{")) return null;
  const re = /\{[^}/]+(?::path)?\}/g;
  let out = "";
  let cursor = 0;
  let any = false;
  for (const m of entry.matchAll(re)) {
    out += escapeRe(entry.slice(cursor, m.index)) + (m[0].includes(":path") ? ".+?" : "[^/]+?");
    cursor = m.index! + m[0].length;
    any = true;
  }
  if (!any) return null;
  return new RegExp("^" + out + escapeRe(entry.slice(cursor)) + "$");
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** sourcerykit 1.0.1's sanitize_and_extract_trusted_url: scheme://netloc/path, no query, no trailing "/". */
export function sanitizeTrustedUrl(raw: string | null | undefined): string {
  let clean = (raw ?? "").trim();
  if (!clean) return "";
  if (!clean.startsWith("http://") && !clean.startsWith("https://")) clean = "https://" + clean;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/([^/?#]*)([^?#]*)/.exec(clean);
  if (!m || !m[2]) return "";
  return `${m[1]}://${m[2]}${m[3].replace(/\/+$/, "")}`;
}

/** PostgreSQL's `text LIKE pattern`, case-sensitive, `\\` escaping: `%` any run, `_` one character. */
export function sqlLike(text: string, pattern: string): boolean {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === "\\" && i + 1 < pattern.length) re += escapeRe(pattern[++i]);
    else if (ch === "%") re += "[\\s\\S]*";
    else if (ch === "_") re += "[\\s\\S]";
    else re += escapeRe(ch);
  }
  return new RegExp("^" + re + "$").test(text);
}

/** Whether one (normalized or sanitized) URL is trusted by one snapshot entry under the rule. */
export function entryTrusts(url: string, entry: string, rule: TrustMatch): boolean {
  if (rule === "prefix") return sqlLike(url, entry + "%");
  if (url === entry) return true;
  const re = placeholderRegex(entry);
  return re !== null && re.test(url);
}

/** The form a URL is compared in under the rule. */
export const trustForm = (url: string | null | undefined, rule: TrustMatch) => (rule === "prefix" ? sanitizeTrustedUrl(url) : normalizeUrlForTrust(url));

export interface TrustGateResult {
  /** how the snapshot is matched: exact (generation A) or URL prefix (generation B) */
  rule?: TrustMatch;
  /** false when the snapshot is empty: the evaluator skips the snapshot check then. */
  checked: boolean;
  passed: boolean;
  /** the normalized snapshot */
  snapshot: string[];
  /** normalized claim URLs that are not in the snapshot, in claim order, once each */
  missing: string[];
  /** normalized claim URLs the evaluator found untrusted in its live registry */
  untrusted: string[];
  /** the evaluator's messages for the failures above (exact wording) */
  errors: string[];
}

/** URLs named in the evaluator's `handoff has untrusted endpoints: <urls>` errors. */
export function untrustedFromEvaluatorErrors(errors: unknown[]): string[] {
  const out: string[] = [];
  for (const raw of errors) {
    // Both released evaluators prefix the message with "trust gate: ".
    const e = typeof raw === "string" ? raw.replace(/^trust gate: /, "") : null;
    if (e === null || !e.startsWith(UNTRUSTED_PREFIX)) continue;
    for (const u of e.slice(UNTRUSTED_PREFIX.length).split(", ")) {
      const n = normalizeUrlForTrust(u);
      if (n) out.push(n);
    }
  }
  return [...new Set(out)];
}

export function checkTrustGate(claimUrls: (string | null | undefined)[], registry: string[], evaluatorUntrusted: string[] = [], rule: TrustMatch = "exact"): TrustGateResult {
  const urls = [...new Set(claimUrls.map((u) => trustForm(u, rule)).filter(Boolean))];
  // 1.0.1 stores entries sanitized (sanitize_and_extract_trusted_url on insert); sanitizing again changes nothing.
  const snapshot = [...new Set(registry.map((u) => trustForm(u, rule)).filter(Boolean))];
  const checked = snapshot.length > 0 && urls.length > 0;
  const missing = checked ? urls.filter((u) => !snapshot.some((e) => entryTrusts(u, e, rule))) : [];
  const untrusted = urls.filter((u) => evaluatorUntrusted.includes(normalizeUrlForTrust(u)));
  const errors: string[] = [];
  if (rule === "prefix") {
    // 1.0.1 has one check (against its registry) and one message.
    const bad = [...new Set([...missing, ...untrusted])];
    if (bad.length) errors.push(UNTRUSTED_PREFIX + bad.join(", "));
  } else if (missing.length) errors.push(MISSING_PREFIX + missing.join(", "));
  // The evaluator stops at the first failing check: the snapshot comes first.
  else if (untrusted.length) errors.push(UNTRUSTED_PREFIX + untrusted.join(", "));
  return { rule, checked, passed: errors.length === 0, snapshot, missing, untrusted, errors };
}

/** Whether one claim URL fails the gate (missing from the snapshot or reported untrusted). */
export function urlFailsGate(url: string | null | undefined, gate: TrustGateResult): boolean {
  const n = trustForm(url, gate.rule ?? "exact");
  return n !== "" && (gate.missing.includes(n) || gate.untrusted.includes(n));
}
