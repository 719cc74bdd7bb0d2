"use client";
// React Query hooks for an agent's timeline: the history, a page at a time (useInfiniteQuery
// on next_cursor), and a live tail that polls for events after the newest one and appends
// them as a new page, so the reader's scroll position is never disturbed.
import { useInfiniteQuery, useQuery, useQueryClient, type InfiniteData } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { TimelineEvent, TimelinePage } from "@/lib/api-contract/timeline";
import { isLeaksOnly, PAGE_SIZE, splitList, type EventKind } from "@/lib/records/timeline-kinds";
import { getJson } from "./fetch-json";

/** The view's filters, exactly as they appear in the page URL and the API query. */
export interface TimelineFilters {
  leaksOnly: boolean;
  kinds: EventKind[];
  actions: string[];
  from: string | null;
  to: string | null;
}

const LIVE_INTERVAL_MS = 5_000;

/**
 * The page's URL as the filter controls show it: lists and the flag read as the API's schema
 * reads them (lib/api-contract/timeline.ts), values kept as written (times as the inputs' ISO
 * text) and left to the API to check.
 */
export function filtersFromSearch(p: URLSearchParams): TimelineFilters {
  const list = (k: string) => splitList(p.get(k) ?? "");
  return {
    leaksOnly: isLeaksOnly(p.get("leaks_only")),
    kinds: list("kinds") as EventKind[],
    actions: list("actions"),
    from: p.get("from") || null,
    to: p.get("to") || null,
  };
}

/** Writes the filters into URL parameters (the same names the API takes). */
export function filtersToSearch(f: TimelineFilters, into = new URLSearchParams()): URLSearchParams {
  const set = (k: string, v: string | null) => (v ? into.set(k, v) : into.delete(k));
  set("leaks_only", f.leaksOnly ? "true" : null);
  set("kinds", f.kinds.join(",") || null);
  set("actions", f.actions.join(",") || null);
  set("from", f.from);
  set("to", f.to);
  return into;
}

export const timelineKey = (agentId: string, f: TimelineFilters) => ["timeline", agentId, filtersToSearch(f).toString()] as const;

async function fetchPage(endpoint: string, f: TimelineFilters, cursor: string | null): Promise<TimelinePage> {
  const p = filtersToSearch(f);
  p.set("limit", String(PAGE_SIZE));
  if (cursor) p.set("cursor", cursor);
  return getJson<TimelinePage>(`${endpoint}?${p}`);
}

/** `endpoint`: where the pages come from (lib/records/record-links.ts: the v1 API, or a share token's). */
export function useTimeline(agentId: string, filters: TimelineFilters, initialPage: TimelinePage | undefined, endpoint: string) {
  const key = timelineKey(agentId, filters);
  const client = useQueryClient();
  // The server rendered the first page for the filters the page opened with; other filters fetch their own.
  const [openedWith] = useState(() => key[2]);
  const history = useInfiniteQuery({
    queryKey: key,
    queryFn: ({ pageParam }) => fetchPage(endpoint, filters, pageParam),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    initialData: initialPage && key[2] === openedWith ? { pages: [initialPage], pageParams: [null] } : undefined,
    // The tail below keeps it fresh; refetching every loaded page would be wasteful.
    staleTime: Infinity,
  });

  const pages = history.data?.pages ?? [];
  const complete = history.isSuccess && !history.hasNextPage;
  const newest = pages.at(-1)?.events.at(-1)?.cursor ?? null;
  const tail = useQuery({
    queryKey: ["timeline-tail", ...key, newest],
    queryFn: () => fetchPage(endpoint, filters, newest),
    enabled: complete,
    refetchInterval: LIVE_INTERVAL_MS,
  });

  useEffect(() => {
    const page = tail.data;
    if (!page || page.events.length === 0) return;
    client.setQueryData<InfiniteData<TimelinePage, string | null>>(key, (old) => {
      if (!old) return old;
      const seen = new Set(old.pages.flatMap((p) => p.events.map((e) => e.id)));
      const fresh = page.events.filter((e) => !seen.has(e.id));
      if (!fresh.length) return old;
      return { pages: [...old.pages, { events: fresh, next_cursor: page.next_cursor }], pageParams: [...old.pageParams, newest] };
    });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [tail.data]);

  const events: TimelineEvent[] = pages.flatMap((p) => p.events);
  return { ...history, events };
}
