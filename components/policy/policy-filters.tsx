"use client";
// Filters of the policy page: agent, policy, gate action, edge, depth. They live in the URL,
// so a filtered view can be linked (the overview links to ?action=BLOCK, a timeline to ?agent_id=).
import { DEPTH_NAMES, depthLabel } from "@/lib/records/depth";
import { formatEdgeFilter, type PolicyFacets, type PolicyFilter } from "@/lib/api-contract/policy";

interface Option {
  value: string;
  label: string;
}

export function PolicyFilters({ filter, facets, onChange }: { filter: PolicyFilter; facets: PolicyFacets; onChange: (next: PolicyFilter) => void }) {
  const edges: Option[] = facets.edges.map((e) => ({ value: formatEdgeFilter(e.source, e.target), label: `${e.source} → ${e.target}` }));
  if (facets.hasOlderShape) edges.push({ value: "none", label: "no edge (older shape)" });
  const set = (key: keyof PolicyFilter) => (value: string | undefined) => onChange({ ...filter, [key]: value });
  return (
    <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
      <Select label="Agent" value={filter.agent_id} anyLabel="all agents" options={facets.agents.map((a) => ({ value: a, label: a }))} onChange={set("agent_id")} />
      <Select label="Policy" value={filter.policy} anyLabel="all policies" options={facets.policies.map((p) => ({ value: p, label: p }))} onChange={set("policy")} />
      <Select label="Action" value={filter.action} anyLabel="any outcome" options={[{ value: "BLOCK", label: "BLOCK" }, { value: "PASS", label: "PASS" }, { value: "PENDING", label: "PENDING (older gate)" }]} onChange={set("action")} />
      <Select label="Edge" value={filter.edge} anyLabel="all edges" options={edges} onChange={set("edge")} />
      <Select label="Depth" value={filter.depth} anyLabel="any depth" options={DEPTH_NAMES.map((_, i) => ({ value: String(i), label: depthLabel(i) }))} onChange={set("depth")} />
      {Object.values(filter).some(Boolean) ? (
        <button type="button" className="rounded border border-slate-300 px-2 py-1 text-slate-700 hover:bg-slate-50" onClick={() => onChange({})}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}

function Select({ label, value, anyLabel, options, onChange }: { label: string; value?: string; anyLabel: string; options: Option[]; onChange: (v: string | undefined) => void }) {
  // A value from the URL that is not among the options (e.g. an agent with no decisions) stays selectable.
  const all = value && !options.some((o) => o.value === value) ? [...options, { value, label: value }] : options;
  return (
    <label className="flex flex-col gap-1">
      <span className="text-xs text-slate-500">{label}</span>
      <select className="rounded border border-slate-300 bg-white px-2 py-1" value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{anyLabel}</option>
        {all.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}
