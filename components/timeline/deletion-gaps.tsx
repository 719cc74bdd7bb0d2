import type { AgentGap } from "@/lib/api-contract/retention";
import { gapSentence } from "@/lib/records/deletion-gap";

const day = (iso: string) => iso.slice(0, 10);

/** Where records of this agent were deleted: "127 records deleted by retention on 2026-12-01", with the time range they spanned. */
export function DeletionGaps({ gaps }: { gaps: AgentGap[] }) {
  if (gaps.length === 0) return null;
  return (
    <ul aria-label="Deleted records" className="space-y-1 rounded border border-dashed border-slate-300 bg-slate-50 p-3 text-sm text-slate-700">
      {gaps.map((g) => (
        <li key={g.deletion_id} data-testid="deletion-gap">
          <span className="font-medium">{gapSentence(g)}</span>
          <span className="text-slate-500">
            {" "}— recorded {day(g.from) === day(g.to) ? `on ${day(g.from)}` : `from ${day(g.from)} to ${day(g.to)}`} ({g.counts.intercepts} calls, {g.counts.policy_decisions} policy decisions, {g.counts.handoffs} handoffs); reason: {g.reason}
          </span>
        </li>
      ))}
    </ul>
  );
}
