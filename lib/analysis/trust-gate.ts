// The evaluator's trust gate, recomputed: every claim's URL must be in the handoff's
// trusted snapshot (`trusted_endpoint_registry`), compared in a normalized form.
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

export interface TrustGateResult {
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
  for (const e of errors) {
    if (typeof e !== "string" || !e.startsWith(UNTRUSTED_PREFIX)) continue;
    for (const u of e.slice(UNTRUSTED_PREFIX.length).split(", ")) {
      const n = normalizeUrlForTrust(u);
      if (n) out.push(n);
    }
  }
  return [...new Set(out)];
}

export function checkTrustGate(claimUrls: (string | null | undefined)[], registry: string[], evaluatorUntrusted: string[] = []): TrustGateResult {
  const urls = [...new Set(claimUrls.map(normalizeUrlForTrust).filter(Boolean))];
  const snapshot = [...new Set(registry.map(normalizeUrlForTrust).filter(Boolean))];
  const inSnapshot = new Set(snapshot);
  const checked = snapshot.length > 0 && urls.length > 0;
  const missing = checked ? urls.filter((u) => !inSnapshot.has(u)) : [];
  const untrusted = urls.filter((u) => evaluatorUntrusted.includes(u));
  const errors: string[] = [];
  // The evaluator stops at the first failing check: the snapshot comes first.
  if (missing.length) errors.push(MISSING_PREFIX + missing.join(", "));
  else if (untrusted.length) errors.push(UNTRUSTED_PREFIX + untrusted.join(", "));
  return { checked, passed: errors.length === 0, snapshot, missing, untrusted, errors };
}

/** Whether one claim URL fails the gate (missing from the snapshot or reported untrusted). */
export function urlFailsGate(url: string | null | undefined, gate: TrustGateResult): boolean {
  const n = normalizeUrlForTrust(url);
  return n !== "" && (gate.missing.includes(n) || gate.untrusted.includes(n));
}
