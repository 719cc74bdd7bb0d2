import type { Deletion } from "@/lib/api-contract/retention";

/** Every deletion: when, who, why, how many records of each kind, how many kept on hold. */
export function DeletionLog({ deletions }: { deletions: Deletion[] }) {
  if (deletions.length === 0) return <p className="text-sm text-slate-600">Nothing has been deleted.</p>;
  return (
    <table className="w-full text-sm">
      <thead><tr className="text-left text-xs text-slate-500"><th>When</th><th>Who</th><th>Why</th><th className="text-right">Deleted</th><th className="text-right">Kept on hold</th><th>Status</th></tr></thead>
      <tbody>
        {deletions.map((d) => {
          const total = d.counts.intercepts + d.counts.policy_decisions + d.counts.handoffs;
          return (
            <tr key={d.id} data-testid="deletion" className="border-t border-slate-100 align-top">
              <td className="py-1 pr-2 text-xs">{d.at.slice(0, 16).replace("T", " ")}</td>
              <td className="pr-2">{d.actor}</td>
              <td className="pr-2">{d.reason}</td>
              <td className="pr-2 text-right" title={`${d.counts.intercepts} intercepts, ${d.counts.policy_decisions} policy decisions, ${d.counts.handoffs} handoffs`}>{total.toLocaleString("en-US")}</td>
              <td className="pr-2 text-right">{d.held.toLocaleString("en-US")}</td>
              <td className={d.status === "failed" ? "text-red-700" : ""}>{d.status}{d.error ? `: ${d.error}` : ""}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
