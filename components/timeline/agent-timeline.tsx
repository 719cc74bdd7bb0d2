"use client";
// The agent timeline of the dashboard: filters and the selected event live in the URL, pages
// arrive with useInfiniteQuery, new events are appended live, and leaks are counted and
// reachable with "next leak" / "previous leak" and the keyboard (↑/↓ select, n/p next or
// previous leak, Enter opens, Esc closes).
import { useCallback, useEffect, useEffectEvent, useMemo, useRef, useState } from "react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import type { Activity, TimelineEvent, TimelinePage } from "@/lib/api-contract/timeline";
import { recordLinks, type LinkScope } from "@/lib/records/record-links";
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
  scope,
}: {
  agentId: string;
  initialPage: TimelinePage;
  totalLeaks: number;
  actionTags: string[];
  activity: Activity;
  /** whose links: the dashboard's, or a share token's (pages, calls and details then go through the token's endpoints) */
  scope: LinkScope;
}) {
  const links = useMemo(() => recordLinks(scope), [scope]);
  const router = useRouter();
  const pathname = usePathname();
  const search = useSearchParams();
  const filters = useMemo(() => filtersFromSearch(new URLSearchParams(search.toString())), [search]);
  const selectedId = search.get("event");
  const { events, hasNextPage, fetchNextPage, isFetchingNextPage, isError } = useTimeline(agentId, filters, initialPage, links.timelineApi(agentId));
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
        router.push(links.intercept(toolId));
        return;
      }
      scrolledTo.current = toolId;
      list.current?.scrollToIndex(i);
      select(toolId);
    },
    [indexOf, router, select, links],
  );

  const leakIds = useMemo(() => events.filter((e) => "leak" in e && e.leak).map((e) => e.id), [events]);
  const loadedLeaks = leakIds.length;

  const show = useCallback(
    (i: number, pool: TimelineEvent[] = events) => {
      scrolledTo.current = pool[i].id;
      list.current?.scrollToIndex(i);
      select(pool[i].id);
    },
    [events, select],
  );

  const jumpToNextLeak = useCallback(async () => {
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
    show(found, pool);
  }, [selectedId, indexOf, events, hasNextPage, fetchNextPage, totalLeaks, show]);

  const jumpToPreviousLeak = useCallback(() => {
    const start = selectedId ? indexOf(selectedId) : (list.current?.firstVisibleIndex() ?? 0);
    let found = events.findLastIndex((e, i) => i < start && "leak" in e && e.leak);
    if (found < 0) {
      // Wrap to the last leak loaded so far (later pages load as the reader scrolls).
      found = events.findLastIndex((e) => "leak" in e && e.leak);
      setNotice(found < 0 ? (totalLeaks ? "No leak loaded yet." : "This agent has no leaks.") : "No earlier leak; on to the last one loaded.");
      if (found < 0) return;
    } else setNotice(null);
    show(found);
  }, [selectedId, indexOf, events, totalLeaks, show]);

  const selected = selectedId ? events.find((e) => e.id === selectedId) ?? null : null;

  // The keyboard: n/p wherever the focus is not in a form field; ↑/↓, Enter and Esc in the
  // list, or anywhere on the page once an event is selected (the page scrolls otherwise).
  // useEffectEvent, not a listener re-added by an effect: the effect runs after paint, so an
  // Enter pressed right after "n" selected a leak (the row already shown selected) reached the
  // previous render's listener, which had nothing selected, and was lost. CI caught it.
  const onKey = useEffectEvent((e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
    const t = e.target as HTMLElement | null;
    if (t?.closest("input, select, textarea, [contenteditable='true']")) return;
    const inList = !!t?.closest("[data-testid='timeline-list']");
    const onControl = !inList && !!t?.closest("button, a, summary");
    const key = e.key;
    if (key === "n" || key === "p") {
      e.preventDefault();
      if (key === "n") void jumpToNextLeak();
      else jumpToPreviousLeak();
      return;
    }
    if (onControl || (!inList && !selectedId)) return;
    if (key === "ArrowDown" || key === "ArrowUp") {
      if (!events.length) return;
      e.preventDefault();
      const at = selectedId ? indexOf(selectedId) : -1;
      const from = at >= 0 ? at : (list.current?.firstVisibleIndex() ?? 0) - (key === "ArrowDown" ? 1 : 0);
      show(Math.max(0, Math.min(events.length - 1, from + (key === "ArrowDown" ? 1 : -1))));
    } else if (key === "Enter" && selected?.link) {
      e.preventDefault();
      router.push(selected.link);
    } else if (key === "Escape" && selectedId) {
      e.preventDefault();
      setUrl(filters, null);
    }
  });
  useEffect(() => {
    const listener = (e: KeyboardEvent) => onKey(e);
    window.addEventListener("keydown", listener);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  // "leak 2 of 5": the selected leak's place among the agent's leaks (among those of this view
  // when filters narrow it, since only those are loaded in order).
  const narrowed = filters.kinds.length > 0 || filters.actions.length > 0 || !!filters.from || !!filters.to;
  const leakNo = selectedId ? leakIds.indexOf(selectedId) + 1 : 0;
  const leakOf = narrowed ? `${loadedLeaks}${hasNextPage ? "+" : ""} in this view` : String(totalLeaks);

  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);

  // Tells tests (and anyone scripting the page) that the timeline's own code has taken over:
  // a key or click before hydration is lost.
  const [ready, setReady] = useState(false);
  useEffect(() => setReady(true), []);

  return (
    <div className="space-y-3" data-timeline-ready={ready ? "true" : undefined}>
      <ActivityChart activity={activity} onPick={(from, to) => setUrl({ ...filters, from, to }, null)} />
      <TimelineFilters value={filters} onChange={(f) => setUrl(f, selectedId)} actionTags={actionTags} />
      <div className="flex flex-wrap items-center gap-3 text-sm">
        <span data-testid="leak-counter" className={`rounded px-2 py-1 font-semibold ${totalLeaks ? "bg-red-600 text-white" : "bg-slate-100 text-slate-700"}`}>
          {totalLeaks} {totalLeaks === 1 ? "leak" : "leaks"}
        </span>
        {leakNo ? (
          <span data-testid="leak-position" className="font-medium text-red-700">
            leak {leakNo} of {leakOf}
          </span>
        ) : null}
        <button type="button" onClick={jumpToPreviousLeak} disabled={!totalLeaks} aria-keyshortcuts="p" className="rounded border border-red-300 px-2 py-1 text-red-700 hover:bg-red-50 disabled:opacity-40">
          Previous leak ↑
        </button>
        <button type="button" onClick={() => void jumpToNextLeak()} disabled={!totalLeaks} aria-keyshortcuts="n" className="rounded border border-red-300 px-2 py-1 text-red-700 hover:bg-red-50 disabled:opacity-40">
          Jump to next leak ↓
        </button>
        <span className="text-slate-500" data-testid="loaded-count">
          {events.length.toLocaleString("en-US")} events loaded{hasNextPage ? " (more on scroll)" : ""}
          {loadedLeaks !== totalLeaks && totalLeaks ? `, ${loadedLeaks} leaks among them` : ""}
        </span>
        <span className="text-xs text-slate-600">live: new events appear every 5 s · keys: ↑/↓ n/p Enter Esc</span>
        {notice ? <span className="text-xs text-slate-600">{notice}</span> : null}
        {isError ? <span className="text-xs text-red-700">Could not load more events; retrying.</span> : null}
      </div>
      <div className="grid grid-cols-1 gap-3 lg:grid-cols-[minmax(0,1fr)_26rem]">
        {events.length ? (
          <TimelineList ref={list} events={events} selectedId={selectedId} onSelect={select} onFollowLeak={followLeak} onNearEnd={onNearEnd} />
        ) : (
          <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No events match these filters.</p>
        )}
        <SelectedEvent event={selected} onFollowLeak={followLeak} onClose={() => setUrl(filters, null)} links={links} />
      </div>
    </div>
  );
}
