"use client";
// Leaks only, kinds, action tags and a time range. Controlled: the page keeps them in the URL.
import { EVENT_KINDS } from "@/lib/records/timeline-kinds";
import type { TimelineFilters as Filters } from "@/lib/hooks/use-timeline";
import { KIND_STYLE } from "./kind-style";

export function TimelineFilters({ value, onChange, actionTags }: { value: Filters; onChange: (f: Filters) => void; actionTags: string[] }) {
  const toggle = <T,>(list: T[], item: T) => (list.includes(item) ? list.filter((x) => x !== item) : [...list, item]);
  const local = (iso: string | null) => (iso ? iso.slice(0, 16) : "");
  const toIso = (v: string) => (v ? `${v}:00Z` : null);
  return (
    <form aria-label="Timeline filters" className="flex flex-wrap items-center gap-x-4 gap-y-2 rounded border border-slate-200 bg-white p-2 text-sm" onSubmit={(e) => e.preventDefault()}>
      <label className="flex items-center gap-1 font-medium text-red-700">
        <input type="checkbox" checked={value.leaksOnly} onChange={(e) => onChange({ ...value, leaksOnly: e.target.checked })} />
        Leaks only
      </label>
      <fieldset className="flex flex-wrap items-center gap-2">
        <legend className="sr-only">Kinds</legend>
        {EVENT_KINDS.map((k) => (
          <label key={k} className="flex items-center gap-1">
            <input type="checkbox" checked={value.kinds.includes(k)} onChange={() => onChange({ ...value, kinds: toggle(value.kinds, k) })} />
            {KIND_STYLE[k].label}
          </label>
        ))}
      </fieldset>
      <label className="flex items-center gap-1">
        Action tag
        <select
          aria-label="Action tag"
          className="rounded border border-slate-300 px-1 py-0.5"
          value={value.actions[0] ?? ""}
          onChange={(e) => onChange({ ...value, actions: e.target.value ? [e.target.value] : [] })}
        >
          <option value="">all</option>
          {actionTags.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </select>
      </label>
      <label className="flex items-center gap-1">
        From
        <input type="datetime-local" aria-label="From (UTC)" className="rounded border border-slate-300 px-1" value={local(value.from)} onChange={(e) => onChange({ ...value, from: toIso(e.target.value) })} />
      </label>
      <label className="flex items-center gap-1">
        To
        <input type="datetime-local" aria-label="To (UTC)" className="rounded border border-slate-300 px-1" value={local(value.to)} onChange={(e) => onChange({ ...value, to: toIso(e.target.value) })} />
      </label>
      <span className="text-xs text-slate-500">times in UTC</span>
      <button type="button" className="ml-auto text-xs text-slate-600 underline" onClick={() => onChange({ leaksOnly: false, kinds: [], actions: [], from: null, to: null })}>
        Clear filters
      </button>
    </form>
  );
}
