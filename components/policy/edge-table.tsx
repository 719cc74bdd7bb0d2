// Each invocation of one gate evaluation: the edge that triggered it, its policy and the
// callback's result. Older-shape invocations have no edge to show.
import type { PolicyDecisionWire } from "@/lib/api-contract/policy";
import { CallbackResult, FailClosedBadge } from "./gate-outcome-badge";

export function EdgeTable({ invocations, matchedIds }: { invocations: PolicyDecisionWire[]; matchedIds?: ReadonlySet<string> }) {
  return (
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
        {invocations.map((d) => (
          <tr key={d.id} data-testid="edge-row" className={`border-t border-slate-100 ${matchedIds && !matchedIds.has(d.id) ? "opacity-60" : ""}`}>
            <td className="p-1.5 font-mono text-xs">
              {d.edge ? `${d.edge.source_name} → ${d.edge.target_name}` : <span className="italic text-slate-500">no triggering edge</span>}
            </td>
            <td className="p-1.5 text-xs">{d.edge ? `${d.edge.source_depth_label} → ${d.edge.target_depth_label}` : "—"}</td>
            <td className="p-1.5 text-xs">
              {d.policy ? (
                <span title={d.policy.callback ? `callback ${d.policy.callback}` : "no callback"}>
                  {d.policy.name}
                  {d.policy.requires_confirmation ? <span className="ml-1 text-slate-500">(asks to confirm)</span> : null}
                </span>
              ) : (
                "—"
              )}
            </td>
            <td className="p-1.5">
              <CallbackResult passed={d.callback_result.passed} /> {d.fail_closed ? <FailClosedBadge /> : null}
            </td>
            <td className="p-1.5 text-xs text-slate-700">{d.callback_result.message ?? ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
