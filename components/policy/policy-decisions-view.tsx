"use client";
// The policy page's live part: filters (in the URL), the per-policy figures, and the tool
// calls the gate evaluated, each with its edges.
import { usePathname, useRouter } from "next/navigation";
import { policyFilterParams, type PolicyDecisionsResponse, type PolicyFacets, type PolicyFilter } from "@/lib/api-contract/policy";
import { usePolicyDecisions } from "@/lib/hooks/use-policy-decisions";
import { PolicyFilters } from "./policy-filters";
import { PolicySummary } from "./policy-summary";
import { GateEvaluationCard } from "./gate-evaluation-card";

export function PolicyDecisionsView({ filter, facets, initialData }: { filter: PolicyFilter; facets: PolicyFacets; initialData: PolicyDecisionsResponse }) {
  const router = useRouter();
  const pathname = usePathname();
  const { data, isFetching, error } = usePolicyDecisions(filter, initialData);
  const hrefOf = (f: PolicyFilter) => {
    const p = policyFilterParams(f);
    return `${pathname}${p.size ? `?${p}` : ""}`;
  };
  const matchedIds = new Set((data?.decisions ?? []).map((d) => d.id));
  const groups = data?.groups ?? [];
  return (
    <div className="space-y-4">
      <PolicyFilters filter={filter} facets={facets} onChange={(next) => router.push(hrefOf(next))} />
      {isFetching ? <span className="text-xs text-slate-500">loading…</span> : null}
      {error ? <p className="text-sm text-red-700">Could not load policy decisions: {(error as Error).message}</p> : null}
      {data ? (
        <p className="text-sm text-slate-700">
          <span data-testid="blocked-calls" className="font-semibold tabular-nums">{data.blocked_calls}</span> {data.blocked_calls === 1 ? "tool call" : "tool calls"} blocked
        </p>
      ) : null}
      <section aria-label="Per policy" className="space-y-2">
        <h2 className="text-lg font-semibold">Policies</h2>
        <PolicySummary policies={data?.policies ?? []} hrefFor={(policy) => hrefOf(policy === null ? { ...filter, policy: undefined, edge: "none" } : { ...filter, policy })} />
      </section>
      <section aria-label="Tool calls" className="space-y-3">
        <h2 className="text-lg font-semibold">Tool calls the gate evaluated</h2>
        {groups.length === 0 ? (
          <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No policy decisions match these filters.</p>
        ) : (
          groups.map((g) => <GateEvaluationCard key={g.id} evaluation={g} matchedIds={matchedIds} />)
        )}
        {data?.next_cursor ? <p className="text-xs text-slate-500">Showing the newest {data.decisions.length} matching decisions; narrow the filters to see older ones.</p> : null}
      </section>
    </div>
  );
}
