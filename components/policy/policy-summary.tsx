// Per policy: how often it was invoked and fired, the tool calls blocked while it fired, and when it last fired.
import Link from "next/link";
import type { PolicySummaryWire } from "@/lib/api-contract/policy";

const pct = (r: number | null) => (r === null ? "—" : `${(r * 100).toFixed(r > 0 && r < 0.1 ? 1 : 0)}%`);

export function PolicySummary({ policies, hrefFor }: { policies: PolicySummaryWire[]; hrefFor: (policy: string | null) => string }) {
  if (policies.length === 0) return null;
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse rounded border border-slate-200 bg-white text-left text-sm" aria-label="Policies">
        <thead className="bg-slate-50 text-xs text-slate-500">
          <tr>
            <th className="p-2">Policy</th>
            <th className="p-2">Invocations</th>
            <th className="p-2" title="Invocations whose callback fired the policy (passed: false, or an older callback's true)">Fired</th>
            <th className="p-2" title="Tool calls the gate blocked on which this policy fired">Blocked calls</th>
            <th className="p-2">Fail-closed</th>
            <th className="p-2">Last fired</th>
          </tr>
        </thead>
        <tbody>
          {policies.map((p) => (
            <tr key={p.policy ?? "(older shape)"} className="border-t border-slate-100" data-testid="policy-row">
              <td className="p-2">
                <Link href={hrefFor(p.policy)} className="text-blue-700 underline">
                  {p.policy ?? "(older shape: no policy name)"}
                </Link>
              </td>
              <td className="p-2 tabular-nums">{p.invocations}</td>
              <td className="p-2 tabular-nums">
                {pct(p.fire_rate)} <span className="text-xs text-slate-500">({p.fired})</span>
              </td>
              <td className="p-2 tabular-nums">{p.blocks}</td>
              <td className="p-2 tabular-nums">{p.fail_closed}</td>
              <td className="p-2 text-xs text-slate-600">{p.last_fired?.replace("T", " ").slice(0, 19) ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
