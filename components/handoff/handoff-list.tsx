"use client";
// The handoff list: filters (in the URL, so a filtered list can be shared), the category bar
// with counts ("CAUGHT 7 — agent 1 · instrumentation 5 · configuration 1"), cause, category
// and review state per row, marking several at once, and "load more".
import Link from "next/link";
import { useState } from "react";
import { usePathname, useRouter } from "next/navigation";
import { useQueryClient } from "@tanstack/react-query";
import { handoffFilterParams, useHandoffs, type HandoffList as Data, type HandoffListFilter } from "@/lib/hooks/use-handoffs";
import { CAUSE_CODES } from "@/lib/analysis/causes";
import { REVIEW_STATES, REVIEW_STATE_LABELS } from "@/lib/records/review";
import { OutcomeBadge } from "./outcome-badge";
import { CategoryBadge, causeTitle } from "./category-badge";
import { CategoryCounts } from "./category-counts";
import { ReviewBadge } from "./review-badge";
import { ReviewForm } from "./review-form";
import { ReadableTime } from "@/components/ui/readable-time";

export function HandoffList({ filter, agents, initialData }: { filter: HandoffListFilter; agents: string[]; initialData: Data }) {
  const router = useRouter();
  const pathname = usePathname();
  const client = useQueryClient();
  const { data, isFetching, error, hasNextPage, fetchNextPage, isFetchingNextPage } = useHandoffs(filter, initialData);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const setFilter = (next: HandoffListFilter) => {
    setSelected(new Set());
    const p = handoffFilterParams(next);
    router.push(`${pathname}${p.size ? `?${p}` : ""}`);
  };
  const pages = data?.pages ?? [];
  const rows = pages.flatMap((p) => p.handoffs);
  const counts = pages[0]?.counts ?? initialData.counts;
  const reviewable = rows.filter((h) => h.evaluator_outcome === "CAUGHT" || h.verdict_outcome === "CAUGHT");
  const detailQuery = handoffFilterParams(filter).toString();
  const toggle = (id: string) => setSelected((s) => {
    const n = new Set(s);
    if (n.has(id)) n.delete(id);
    else n.add(id);
    return n;
  });
  const allSelected = reviewable.length > 0 && reviewable.every((h) => selected.has(h.id));
  return (
    <div className="space-y-3">
      <form className="flex flex-wrap items-end gap-3 text-sm" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <FilterSelect label="Outcome" name="outcome" value={filter.outcome} anyLabel="any" options={["CAUGHT", "ERROR", "PASS", "NOT_EVALUATED"].map((o) => [o, withCount(o.replace("_", " "), counts.outcomes[o])])} onChange={(outcome) => setFilter({ ...filter, outcome })} />
        <FilterSelect label="Agent" name="agent_id" value={filter.agentId} anyLabel="all agents" options={agents.map((a) => [a, a])} onChange={(agentId) => setFilter({ ...filter, agentId })} />
        <FilterSelect label="Cause" name="cause" value={filter.cause} anyLabel="any cause" options={CAUSE_CODES.filter((c) => counts.causes[c] || filter.cause === c).map((c) => [c, withCount(causeTitle(c)!, counts.causes[c])])} onChange={(cause) => setFilter({ ...filter, cause })} />
        <FilterSelect label="Review" name="review" value={filter.review} anyLabel="any review state" options={[...REVIEW_STATES, "unreviewed" as const].map((r) => [r, withCount(r === "unreviewed" ? "not reviewed" : REVIEW_STATE_LABELS[r], counts.reviews[r])])} onChange={(review) => setFilter({ ...filter, review })} />
        <FilterSelect label="Verdict vs evaluator" name="agreement" value={filter.agreement} anyLabel="any" options={[["differs", "they disagree"]]} onChange={(agreement) => setFilter({ ...filter, agreement })} />
        <label className="flex flex-col">
          <span className="text-xs text-slate-500">Day (UTC)</span>
          <input type="date" name="day" className="rounded border border-slate-300 bg-white px-2 py-1" value={filter.day ?? ""} onChange={(e) => setFilter({ ...filter, day: e.target.value || undefined })} />
        </label>
        {isFetching && !isFetchingNextPage ? <span className="text-xs text-slate-500">loading…</span> : null}
        {error ? <span className="text-xs text-red-700">Could not load handoffs: {(error as Error).message}</span> : null}
      </form>
      <CategoryCounts outcome={filter.outcome} counts={counts.categories} active={filter.category} onPick={(category) => setFilter({ ...filter, category })} />
      {selected.size ? (
        <div className="flex flex-wrap items-center gap-2 rounded border border-blue-200 bg-blue-50 p-2" aria-label="Mark selected">
          <span className="text-sm font-semibold">{selected.size} selected</span>
          <ReviewForm compact ids={[...selected]} onDone={() => {
            setSelected(new Set());
            client.invalidateQueries({ queryKey: ["handoffs"] });
          }} />
        </div>
      ) : null}
      {rows.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No handoffs match these filters.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full border-collapse rounded border border-slate-200 bg-white text-left text-sm">
            <thead className="bg-slate-50 text-xs text-slate-500">
              <tr>
                <th className="p-2">
                  <input type="checkbox" aria-label="Select every CAUGHT handoff shown" checked={allSelected} disabled={!reviewable.length}
                    onChange={() => setSelected(allSelected ? new Set() : new Set(reviewable.map((h) => h.id)))} />
                </th>
                <th className="p-2" title="The evaluator's outcome (Verdict's when none was sent)">Evaluator</th>
                <th className="p-2" title="Verdict's own recomputation from the recorded calls">Verdict (recomputed)</th>
                <th className="p-2">Cause</th>
                <th className="p-2">Category</th>
                <th className="p-2">Review</th>
                <th className="p-2">Task</th>
                <th className="p-2">Agent</th>
                <th className="p-2">Claims</th>
                <th className="p-2">When</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((h) => {
                const canReview = h.evaluator_outcome === "CAUGHT" || h.verdict_outcome === "CAUGHT";
                return (
                  <tr key={h.id} className="border-t border-slate-100 hover:bg-slate-50" data-testid="handoff-row">
                    <td className="p-2">
                      {canReview ? <input type="checkbox" aria-label={`Select ${h.task ?? h.id}`} checked={selected.has(h.id)} onChange={() => toggle(h.id)} /> : null}
                    </td>
                    <td className="p-2"><OutcomeBadge outcome={h.outcome} /></td>
                    <td className="p-2">
                      <OutcomeBadge outcome={h.verdict_outcome} />
                      {h.disagrees ? (
                        <span className="ml-1 rounded bg-amber-100 px-1 text-xs font-semibold text-amber-900" title="Verdict's recomputed outcome differs from the evaluator's" data-testid="disagrees-flag">
                          differs
                        </span>
                      ) : null}
                    </td>
                    <td className="p-2 text-xs" data-testid="cause">{causeTitle(h.primary_cause) ?? <span className="text-slate-600">—</span>}</td>
                    <td className="p-2"><CategoryBadge category={h.cause_category} /></td>
                    <td className="p-2"><ReviewBadge state={h.review_state} /></td>
                    <td className="p-2">
                      <Link href={`/handoffs/${encodeURIComponent(h.id)}${detailQuery ? `?${detailQuery}` : ""}`} className="text-blue-700 underline">{h.task ?? h.source_id ?? h.id}</Link>
                    </td>
                    <td className="p-2 font-mono text-xs">{h.agent_id}</td>
                    <td className="p-2 tabular-nums">{h.claim_count}</td>
                    <td className="p-2 text-xs whitespace-nowrap text-slate-600"><ReadableTime iso={h.created_at} /></td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <div className="flex items-center gap-3 text-xs text-slate-500">
        <span data-testid="shown-count">Showing {rows.length} of {counts.total}</span>
        {hasNextPage ? (
          <button type="button" className="rounded border border-slate-300 bg-white px-2 py-1 text-sm text-slate-800 hover:bg-slate-50" disabled={isFetchingNextPage} onClick={() => fetchNextPage()}>
            {isFetchingNextPage ? "Loading…" : "Load more"}
          </button>
        ) : null}
      </div>
    </div>
  );
}

const withCount = (label: string, n: number | undefined) => `${label} (${n ?? 0})`;

function FilterSelect({ label, name, value, anyLabel, options, onChange }: { label: string; name: string; value: string | undefined; anyLabel: string; options: [string, string][]; onChange: (v: string | undefined) => void }) {
  return (
    <label className="flex flex-col">
      <span className="text-xs text-slate-500">{label}</span>
      <select name={name} className="rounded border border-slate-300 bg-white px-2 py-1" value={value ?? ""} onChange={(e) => onChange(e.target.value || undefined)}>
        <option value="">{anyLabel}</option>
        {options.map(([v, text]) => <option key={v} value={v}>{text}</option>)}
      </select>
    </label>
  );
}
