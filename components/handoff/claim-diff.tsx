import type { DiffEntry } from "@/lib/analysis/json-diff";

const OP_STYLE = { added: "text-emerald-800 bg-emerald-50", removed: "text-red-800 bg-red-50", changed: "text-amber-900 bg-amber-50" } as const;
const show = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v));

/** Claimed vs recorded, by path: what the claim adds, drops or changes. */
export function ClaimDiff({ diff }: { diff: DiffEntry[] }) {
  if (!diff.length) return <p className="text-xs text-emerald-800" data-testid="claim-diff">Claimed and recorded values are the same.</p>;
  return (
    <div className="overflow-x-auto">{/* 390 px: the table scrolls, not the page */}
    <table className="w-full text-left text-xs" data-testid="claim-diff">
      <thead className="text-slate-500">
        <tr><th className="pr-2">change</th><th className="pr-2">path</th><th className="pr-2">recorded</th><th>claimed</th></tr>
      </thead>
      <tbody className="font-mono">
        {diff.map((d, i) => (
          <tr key={i} className={OP_STYLE[d.op]}>
            <td className="pr-2 font-sans font-semibold">{d.op}</td>
            <td className="pr-2">{d.path}</td>
            <td className="pr-2 break-all">{show(d.recorded)}</td>
            <td className="break-all">{show(d.claimed)}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
