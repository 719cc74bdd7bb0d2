"use client";
// The handoff list with its filters; the filters live in the URL so a filtered list can be shared.
import Link from "next/link";
import { usePathname, useRouter } from "next/navigation";
import { useHandoffs, type HandoffList as Data, type HandoffListFilter } from "@/lib/hooks/use-handoffs";
import { OutcomeBadge } from "./outcome-badge";

export function HandoffList({ filter, agents, initialData }: { filter: HandoffListFilter; agents: string[]; initialData: Data }) {
  const router = useRouter();
  const pathname = usePathname();
  const { data, isFetching, error } = useHandoffs(filter, initialData);
  const setFilter = (next: HandoffListFilter) => {
    const p = new URLSearchParams();
    if (next.outcome) p.set("outcome", next.outcome);
    if (next.agentId) p.set("agent_id", next.agentId);
    router.push(`${pathname}${p.size ? `?${p}` : ""}`);
  };
  const rows = data?.handoffs ?? [];
  return (
    <div className="space-y-3">
      <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label="Outcome" name="outcome" value={filter.outcome} anyLabel="any" options={["CAUGHT", "ERROR", "PASS", "NOT_EVALUATED"]} onChange={(outcome) => setFilter({ ...filter, outcome })} />
        <FilterSelect label="Agent" name="agent_id" value={filter.agentId} anyLabel="all agents" options={agents} onChange={(agentId) => setFilter({ ...filter, agentId })} />
        {isFetching ? <span className="text-xs text-slate-500">loading…</span> : null}
        {error ? <span className="text-xs text-red-700">Could not load handoffs: {(error as Error).message}</span> : null}
      </form>
      {rows.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No handoffs match these filters.</p>
      ) : (
        <div className="overflow-x-auto">{/* 390 px: the table scrolls, not the page */}
        <table className="w-full border-collapse rounded border border-slate-200 bg-white text-left text-sm">
          <thead className="bg-slate-50 text-xs text-slate-500">
            <tr>
              <th className="p-2">Outcome</th>
              <th className="p-2">Verdict</th>
              <th className="p-2">Task</th>
              <th className="p-2">Agent</th>
              <th className="p-2">Claims</th>
              <th className="p-2">When</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((h) => (
              <tr key={h.id} className="border-t border-slate-100 hover:bg-slate-50" data-testid="handoff-row">
                <td className="p-2"><OutcomeBadge outcome={h.outcome} /></td>
                <td className="p-2">
                  <OutcomeBadge outcome={h.verdict_outcome} />
                  {h.disagrees ? (
                    <span className="ml-1 rounded bg-amber-100 px-1 text-xs font-semibold text-amber-900" title="Verdict's recomputed outcome differs from the evaluator's" data-testid="disagrees-flag">
                      differs
                    </span>
                  ) : null}
                </td>
                <td className="p-2">
                  <Link href={`/handoffs/${encodeURIComponent(h.id)}`} className="text-blue-700 underline">{h.task ?? h.source_id ?? h.id}</Link>
                </td>
                <td className="p-2 font-mono text-xs">{h.agent_id}</td>
                <td className="p-2 tabular-nums">{h.claim_count}</td>
                <td className="p-2 text-xs text-slate-600">{h.created_at.replace("T", " ").slice(0, 19)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        </div>
      )}
      {data?.next_cursor ? <p className="text-xs text-slate-500">Showing the newest {rows.length}; narrow the filters to see older handoffs.</p> : null}
    </div>
  );
}

function FilterSelect({ label, name, value, anyLabel, options, onChange }: { label: string; name: string; value: string | undefined; anyLabel: string; options: string[]; onChange: (v: string | undefined) => void }) {
  return (
    <label className="flex flex-col">
      <span className="text-xs text-slate-500">{label}</span>
      <select name={name} className="rounded border border-slate-300 bg-white px-2 py-1" value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{anyLabel}</option>
        {options.map((o) => <option key={o} value={o}>{o.replace("_", " ")}</option>)}
      </select>
    </label>
  );
}
