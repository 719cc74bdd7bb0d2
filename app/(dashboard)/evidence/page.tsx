// The signing key and how to check evidence (docs/evidence.md): the public key and its
// fingerprint, to hand to whoever receives a bundle or a share link.
import { dashboardDb } from "@/lib/http/dashboard-session";
import { publicKeys } from "@/lib/db/queries/signing-keys";
import { Fingerprint } from "@/components/evidence/fingerprint";
import { SigningKeysTable } from "@/components/evidence/signing-keys-table";

export const dynamic = "force-dynamic";
export const metadata = { title: "Evidence" };

export default async function EvidencePage() {
  const { db, dialect } = await dashboardDb(); // checks the session here, where the data is read
  const keys = await publicKeys({ db, dialect });
  const current = keys.find((k) => k.current)!;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Evidence</h1>
        <p className="text-sm text-slate-600">
          Every stored record is hashed and chained at ingest. Export bundles and shared links carry the records with their proofs, signed with this
          Ed25519 key: anyone can check them offline with <code>npx verdict verify-bundle FILE --public-key verdict-public-key.pem</code>.
        </p>
      </div>
      <section className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">Current signing key</h2>
        <p className="text-sm">Fingerprint: <Fingerprint value={current.fingerprint} testId="signing-key-fingerprint" /></p>
        <pre className="overflow-x-auto rounded bg-slate-50 p-2 text-xs" data-testid="signing-public-key">{current.public_key}</pre>
        <p className="text-sm">
          <a className="text-blue-700 hover:underline" href="/api/v1/integrity/public-key">Public key as JSON</a> (no sign-in needed) ·{" "}
          <a className="text-blue-700 hover:underline" href="/api/v1/integrity">Check every record now</a> ·{" "}
          <a className="text-blue-700 hover:underline" href="/api/v1/exports">Download a bundle of everything</a>
        </p>
      </section>
      <section className="space-y-2">
        <h2 className="font-semibold">Keys that have signed evidence</h2>
        <SigningKeysTable keys={keys} />
      </section>
    </div>
  );
}
