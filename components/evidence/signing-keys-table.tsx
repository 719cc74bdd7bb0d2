import type { PublicKeyEntry } from "@/lib/api-contract/evidence";
import { Fingerprint } from "./fingerprint";

/** Every key that has signed evidence: the current one first; retired keys still verify what they signed. */
export function SigningKeysTable({ keys }: { keys: PublicKeyEntry[] }) {
  return (
    <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
      <thead className="bg-slate-100 text-left text-slate-600">
        <tr><th className="p-2">Fingerprint (SHA-256)</th><th className="p-2">Since</th><th className="p-2">Status</th></tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k.fingerprint} className="border-t border-slate-100" data-testid="signing-key-row">
            <td className="p-2"><Fingerprint value={k.fingerprint} /></td>
            <td className="p-2" title={k.created_at}>{k.created_at.slice(0, 16).replace("T", " ")} UTC</td>
            <td className="p-2">{k.current ? "current" : `retired ${k.retired_at?.slice(0, 10) ?? ""}`}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
