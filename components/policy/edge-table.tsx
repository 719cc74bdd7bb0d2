// Each invocation of one gate evaluation: the edge that triggered it, its policy and the
// callback's result. Older-shape invocations name no edge: the one recovered from the
// gate's walk is shown marked "reconstructed", or why it could not be.
import type { PolicyDecisionWire } from "@/lib/api-contract/policy";
import { CallbackResult, FailClosedBadge } from "./gate-outcome-badge";

export function EdgeTable({ invocations, matchedIds }: { invocations: PolicyDecisionWire[]; matchedIds?: ReadonlySet<string> }) {
  return (
    <div className="overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <thead className="text-xs text-slate-500">
          <tr>
            <th className="p-1.5">Edge</th>
            <th className="p-1.5">Depths</th>
            <th className="p-1.5">Policy</th>
            <th className="p-1.5">Callback</th>
            <th className="p-1.5">Message</th>
          </tr>
        </thead>
        <tbody>
          {invocations.map((d) => {
            const edge = d.edge ?? d.reconstructed?.edge ?? null;
            const policy = d.policy ?? d.reconstructed?.policy ?? null;
            const rebuilt = !d.edge && !!d.reconstructed?.edge;
            return (
            <tr key={d.id} data-testid="edge-row" className={`border-t border-slate-100 ${matchedIds && !matchedIds.has(d.id) ? "opacity-60" : ""}`}>
              <td className="p-1.5 font-mono text-xs">
                {edge ? `${edge.source_name} → ${edge.target_name}` : <span className="italic text-slate-500">no triggering edge</span>}
                {rebuilt ? (
                  <span data-testid="reconstructed" className="ml-1 rounded bg-violet-100 px-1 py-0.5 font-sans text-[11px] italic text-violet-900" title="Not in the record: the n-th callback of this evaluation is the n-th policy of the gate's walk of the grounding result">
                    reconstructed
                  </span>
                ) : null}
                {!edge && d.reconstructed?.note ? <div className="font-sans text-[11px] text-slate-500" data-testid="reconstruction-note">{d.reconstructed.note}</div> : null}
              </td>
              <td className="p-1.5 text-xs">{edge ? `${edge.source_depth_label} → ${edge.target_depth_label}` : "—"}</td>
              <td className="p-1.5 text-xs">
                {policy ? (
                  <span title={policy.callback ? `callback ${policy.callback}` : "no callback"}>
                    {policy.name}
                    {policy.requires_confirmation ? <span className="ml-1 text-slate-500">(asks to confirm)</span> : null}
                  </span>
                ) : (
                  "—"
                )}
              </td>
              <td className="p-1.5">
                <CallbackResult result={d.callback_result} /> {d.fail_closed ? <FailClosedBadge /> : null}
              </td>
              <td className="p-1.5 text-xs text-slate-700">{d.callback_result.message ?? ""}</td>
            </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
