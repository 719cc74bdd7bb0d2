import { Fingerprint } from "@/components/evidence/fingerprint";

/**
 * The proof that comes with a shared view: the digest of exactly the shared records (the
 * bundle's records_root) and the signed bundle to check offline.
 */
export function SharedEvidence({ href, root, records, fingerprint, redacted }: { href: string; root: string; records: number; fingerprint: string; redacted: boolean }) {
  return (
    <section aria-label="Evidence" className="border-b border-slate-200 bg-slate-50 px-6 py-3 text-sm text-slate-800" data-testid="shared-evidence">
      <div className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-6 gap-y-2">
        <div>
          Evidence digest ({records} record{records === 1 ? "" : "s"}): <code className="break-all font-mono text-xs" data-testid="evidence-digest">{root}</code>
        </div>
        <div>Signing key: <Fingerprint value={fingerprint} testId="evidence-key-fingerprint" /></div>
        <a href={href} download className="rounded border border-slate-300 bg-white px-3 py-1.5 font-medium text-slate-900 hover:bg-slate-100" data-testid="download-evidence">
          Download signed evidence
        </a>
        <span className="text-xs text-slate-600">
          Check it offline: <code>npx verdict verify-bundle FILE</code>{redacted ? " (bodies appear as their SHA-256: the bundle still verifies)" : ""}.
        </span>
      </div>
    </section>
  );
}
