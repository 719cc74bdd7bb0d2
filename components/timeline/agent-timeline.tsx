"use client";
// The agent timeline of the dashboard: filters and the selected event live in the URL, pages
// arrive with useInfiniteQuery, new events are appended live, and leaks are counted and
// reachable with "jump to next leak".
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { TimelineEvent, TimelinePage } from "@/lib/db/queries/timeline";
import type { Activity } from "@/lib/db/queries/agents";
import { filtersFromSearch, filtersToSearch, useTimeline, type TimelineFilters as Filters } from "@/lib/hooks/use-timeline";
import { TimelineList, type TimelineListHandle } from "./timeline-list";
import { TimelineFilters } from "./timeline-filters";
import { ActivityChart } from "./activity-chart";
import { SelectedEvent } from "./selected-event";

export function AgentTimeline({
  agentId,
  initialPage,
  totalLeaks,
  actionTags,
  activity,
  endpoint,
  interceptBase = "/intercepts/",
}: {
  agentId: string;
  initialPage: TimelinePage;
  totalLeaks: number;
  actionTags: string[];
  activity: Activity;
  /** where pages come from; a shared view reads through its token's endpoint */
  endpoint?: string;
  /** where a tool call outside the loaded view opens: the dashboard's, or the share's */
  interceptBase?: string;
}) {
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(search.toString())), [search]);
  const selectedId = search.get("event");
  const { events, hasNextPage, fetchNextPage, isFetchingNextPage, isError } = useTimeline(agentId, filters, initialPage, endpoint);
  const list = useRef<TimelineListHandle>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const setUrl = useCallback(
    (f: Filters, event: string | null) => {
      const p = filtersToSearch(f, new URLSearchParams(search.toString()));
      if (event) p.set("event", event);
      else p.delete("event");
      const qs = p.toString();
      // history.replaceState updates useSearchParams without a server round trip (Next ≥ 14.1).
      window.history.replaceState(null, "", qs ? `${pathname}?${qs}` : pathname);
    },
    [pathname, search],
  );
  const select = useCallback((id: string) => setUrl(filters, id), [setUrl, filters]);

  const indexOf = useCallback((id: string) => events.findIndex((e) => e.id === id), [events]);

  // A reloaded or pasted URL scrolls to its selected event once that event is loaded.
  const scrolledTo = useRef<string | null>(null);
  useEffect(() => {
    if (!selectedId || scrolledTo.current === selectedId) return;
    const i = indexOf(selectedId);
    if (i >= 0) {
      scrolledTo.current = selectedId;
      list.current?.scrollToIndex(i);
    }
  }, [selectedId, indexOf]);

  const followLeak = useCallback(
    (toolId: string) => {
      const i = indexOf(toolId);
      if (i < 0) {
        // The tool call is filtered out of this view: open it on its own page.
        router.push(`${interceptBase}${encodeURIComponent(toolId)}`);
        return;
      }
      scrolledTo.current = toolId;
      list.current?.scrollToIndex(i);
      select(toolId);
    },
    [indexOf, router, select, interceptBase],
  );

  const loadedLeaks = useMemo(() => events.filter((e) => "leak" in e && e.leak).length, [events]);

  async function jumpToNextLeak() {
    const start = selectedId ? indexOf(selectedId) : (list.current?.firstVisibleIndex() ?? 0) - 1;
    let pool: TimelineEvent[] = events;
    let found = pool.findIndex((e, i) => i > start && "leak" in e && e.leak);
    // Not among the loaded events: load further pages (bounded) until one turns up.
    let more = hasNextPage;
    for (let n = 0; found < 0 && more && n < 20; n++) {
      const r = await fetchNextPage();
      pool = r.data?.pages.flatMap((p) => p.events) ?? pool;
      more = r.hasNextPage;
      found = pool.findIndex((e, i) => i > start && "leak" in e && e.leak);
    }
    if (found < 0) {
      setNotice(totalLeaks ? "No later leak; back to the first one." : "This agent has no leaks.");
      found = pool.findIndex((e) => "leak" in e && e.leak);
      if (found < 0) return;
    } else setNotice(null);
    scrolledTo.current = pool[found].id;
    list.current?.scrollToIndex(found);
    select(pool[found].id);
  }

  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  const selected = selectedId ? events.find((e) => e.id === selectedId) ?? null : null;

  return (
    <div className="space-y-3">
      <ActivityChart activity={activity} onPick={(from, to) => setUrl({ ...filters, from, to }, null)} />
      <TimelineFilters value={filters} onChange={(f) => setUrl(f, selectedId)} actionTags={actionTags} />
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span data-testid="leak-counter" className={`rounded px-2 py-1 font-semibold ${totalLeaks ? "bg-red-600 text-white" : "bg-slate-100 text-slate-700"}`}>
          {totalLeaks} {totalLeaks === 1 ? "leak" : "leaks"}
        </span>
        <button type="button" onClick={jumpToNextLeak} disabled={!totalLeaks} className="rounded border border-red-300 px-2 py-1 text-red-700 hover:bg-red-50 disabled:opacity-40">
          Jump to next leak ↓
        </button>
        <span className="text-slate-500" data-testid="loaded-count">
          {events.length.toLocaleString("en-US")} events loaded{hasNextPage ? " (more on scroll)" : ""}
          {loadedLeaks !== totalLeaks && totalLeaks ? `, ${loadedLeaks} leaks among them` : ""}
        </span>
        <span className="text-xs text-slate-400">live: new events appear every 5 s</span>
        {notice ? <span className="text-xs text-slate-600">{notice}</span> : null}
        {isError ? <span className="text-xs text-red-700">Could not load more events; retrying.</span> : null}
      </div>
      <div className="grid gap-3 lg:grid-cols-[1fr_22rem]">
        {events.length ? (
          <TimelineList ref={list} events={events} selectedId={selectedId} onSelect={select} onFollowLeak={followLeak} onNearEnd={onNearEnd} />
        ) : (
          <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No events match these filters.</p>
        )}
        <SelectedEvent event={selected} onFollowLeak={followLeak} />
      </div>
    </div>
  );
}
