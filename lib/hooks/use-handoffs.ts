"use client";
// React Query hook for the handoff list: a page at a time (useInfiniteQuery, "load more"), the
// filters in the key: ["handoffs", filter].
import { useInfiniteQuery } from "@tanstack/react-query";
import { getJson } from "./fetch-json";
import type { HandoffList } from "@/lib/api-contract/handoffs";

export interface HandoffListFilter {
  outcome?: string;
  agentId?: string;
  category?: string;
  cause?: string;
  review?: string;
  agreement?: string;
  day?: string;
}

export type { HandoffList };

const FILTER_PARAMS = { outcome: "outcome", agentId: "agent_id", category: "category", cause: "cause", review: "review", agreement: "agreement", day: "day" } as const;

/** The filter as query parameters (the page's URL and the API take the same ones). */
export function handoffFilterParams(f: HandoffListFilter): URLSearchParams {
  const p = new URLSearchParams();
  for (const [k, name] of Object.entries(FILTER_PARAMS)) {
    const v = f[k as keyof HandoffListFilter];
    if (v) p.set(name, v);
  }
  return p;
}

export const handoffsKey = (f: HandoffListFilter) =>
  ["handoffs", { outcome: f.outcome ?? null, agentId: f.agentId ?? null, category: f.category ?? null, cause: f.cause ?? null, review: f.review ?? null, agreement: f.agreement ?? null, day: f.day ?? null }] as const;

export function handoffsUrl(f: HandoffListFilter, cursor: string | null = null): string {
  const p = handoffFilterParams(f);
  if (cursor) p.set("cursor", cursor);
  const qs = p.toString();
  return `/api/v1/handoffs${qs ? `?${qs}` : ""}`;
}

export function useHandoffs(filter: HandoffListFilter, initialData?: HandoffList) {
  return useInfiniteQuery({
    queryKey: handoffsKey(filter),
    queryFn: ({ pageParam }) => getJson<HandoffList>(handoffsUrl(filter, pageParam)),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    initialData: initialData ? { pages: [initialData], pageParams: [null] } : undefined,
  });
}
