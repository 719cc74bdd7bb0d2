import type { Cause } from "@/lib/analysis/causes";
import { CAUSE_TITLES } from "@/lib/analysis/verdict-summary";
import type { InterceptRef } from "@/lib/api-contract/handoffs";
import type { HandoffLinks } from "./links";
import { InterceptLink } from "./intercept-link";

/** The likely causes of a non-PASS claim, each with the records that show it. */
export function CauseList({ causes, intercepts, links }: { causes: Cause[]; intercepts: Record<string, InterceptRef>; links: HandoffLinks | null }) {
  if (!causes.length) return null;
  return (
    <ul className="space-y-2" aria-label="Likely causes">
      {causes.map((c) => (
        <li key={c.code} className="rounded border border-red-200 bg-red-50/50 p-2 text-sm" data-testid={`cause-${c.code}`}>
          <div className="font-semibold text-red-800">{CAUSE_TITLES[c.code] ?? c.code} <code className="text-xs font-normal text-slate-500">{c.code}</code></div>
          <p className="text-slate-800">{c.explanation}</p>
          <div className="mt-1 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-600">
            {c.ids.map((id) =>
              intercepts[id] ? (
                <span key={id}>
                  {id === c.tool_intercept_id ? "tool call to use: " : `${intercepts[id].kind.replace("_", " ")}: `}
                  <InterceptLink id={id} agentId={intercepts[id].agent_id} links={links} />
                </span>
              ) : (
                <code key={id}>{id}</code>
              ),
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}
