"use client";
// Every agent with its counts; sortable by any column, filterable by name. Leaks and
// CAUGHT verdicts stand out in red. Sort and filter are kept in the URL.
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import type { AgentSummary } from "@/lib/api-contract/timeline";
import { useAgents } from "@/lib/hooks/use-agents";
import { dashboardLinks } from "@/lib/records/record-links";
import { EventTime } from "./event-time";

const COLUMNS: { key: keyof AgentSummary; label: string; alarm?: boolean }[] = [
  { key: "agent_id", label: "Agent" },
  { key: "intercepts", label: "Calls" },
  { key: "tool_calls", label: "Tool calls" },
  { key: "llm_calls", label: "LLM calls" },
  { key: "untagged_calls", label: "Untagged", alarm: true },
  { key: "leaks", label: "Leaks", alarm: true },
  { key: "policy_decisions", label: "Policy decisions" },
  { key: "blocks", label: "Blocked tool calls", alarm: true },
  { key: "handoffs", label: "Handoffs" },
  { key: "caught", label: "CAUGHT", alarm: true },
  { key: "last_seen", label: "Last seen" },
];

export function AgentsTable({ initial }: { initial: AgentSummary[] }) {
  const { data = initial } = useAgents(initial);
  const pathname = usePathname();
  const search = useSearchParams();
  const sort = (search.get("sort") ?? "leaks") as keyof AgentSummary;
  const dir = search.get("dir") === "asc" ? 1 : -1;
  const q = search.get("q") ?? "";
  const onlyLeaking = search.get("leaking") === "true";

  const set = (changes: Record<string, string | null>) => {
    const p = new URLSearchParams(search.toString());
    for (const [k, v] of Object.entries(changes)) (v === null ? p.delete(k) : p.set(k, v));
    // history.replaceState updates useSearchParams without a server round trip (Next ≥ 14.1).
    window.history.replaceState(null, "", `${pathname}?${p}`);
  };
  const rows = data
    .filter((a) => a.agent_id.toLowerCase().includes(q.toLowerCase()) && (!onlyLeaking || a.leaks > 0 || a.caught > 0))
    .sort((a, b) => {
      const x = a[sort];
      const y = b[sort];
      const c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return c * dir || a.agent_id.localeCompare(b.agent_id);
    });

  return (
    <div className="space-y-3">
      <div className="flex flex-wrap items-center gap-4 text-sm">
        <input
          type="search"
          aria-label="Filter agents"
          placeholder="Filter by agent id"
          className="w-64 rounded border border-slate-300 px-2 py-1"
          value={q}
          onChange={(e) => set({ q: e.target.value || null })}
        />
        <label className="flex items-center gap-1">
          <input type="checkbox" checked={onlyLeaking} onChange={(e) => set({ leaking: e.target.checked ? "true" : null })} />
          Only agents with leaks or CAUGHT verdicts
        </label>
        <span className="text-slate-500">{rows.length} of {data.length} agents</span>
      </div>
      <div className="overflow-x-auto rounded border border-slate-200 bg-white">
        <table className="min-w-full text-sm">
          <thead className="bg-slate-50 text-left text-xs uppercase tracking-wide text-slate-600">
            <tr>
              {COLUMNS.map((c) => (
                <th key={c.key} scope="col" className="px-3 py-2" aria-sort={sort === c.key ? (dir === 1 ? "ascending" : "descending") : undefined}>
                  <button type="button" className="uppercase" onClick={() => set({ sort: c.key, dir: sort === c.key && dir === -1 ? "asc" : "desc" })}>
                    {c.label}
                    {sort === c.key ? (dir === 1 ? " ▲" : " ▼") : ""}
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((a) => (
              <tr key={a.agent_id} className="border-t border-slate-100 hover:bg-slate-50" data-testid="agent-row">
                {COLUMNS.map((c) => {
                  const v = a[c.key];
                  if (c.key === "agent_id")
                    return (
                      <td key={c.key} className="px-3 py-2 font-mono text-xs">
                        <Link href={dashboardLinks.agent(a.agent_id)} className="text-slate-900 underline">
                          {a.agent_id}
                        </Link>
                      </td>
                    );
                  if (c.key === "last_seen")
                    return (
                      <td key={c.key} className="px-3 py-2 text-xs">
                        <EventTime at={a.last_seen} />
                      </td>
                    );
                  const hot = c.alarm && typeof v === "number" && v > 0;
                  return (
                    <td key={c.key} data-col={c.key} className={`px-3 py-2 tabular-nums ${hot ? "font-semibold" : "text-slate-700"}`}>
                      {hot ? <span className="rounded bg-red-600 px-1.5 py-0.5 text-white">{v as number}</span> : String(v)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
