"use client";
// React Query hooks for handoffs; the query keys are stable: ["handoffs", filter] and ["handoff", id].
import { useQuery } from "@tanstack/react-query";
import { getJson } from "./fetch-json";
import type { HandoffSummary } from "@/lib/db/queries/handoffs";

export interface HandoffListFilter {
  outcome?: string;
  agentId?: string;
}

export interface HandoffList {
  handoffs: HandoffSummary[];
  next_cursor: string | null;
}

export const handoffsKey = (f: HandoffListFilter) => ["handoffs", { outcome: f.outcome ?? null, agentId: f.agentId ?? null }] as const;

export function handoffsUrl(f: HandoffListFilter): string {
  const p = new URLSearchParams();
  if (f.outcome) p.set("outcome", f.outcome);
  if (f.agentId) p.set("agent_id", f.agentId);
  const qs = p.toString();
  return `/api/v1/handoffs${qs ? `?${qs}` : ""}`;
}

export function useHandoffs(filter: HandoffListFilter, initialData?: HandoffList) {
  return useQuery({ queryKey: handoffsKey(filter), queryFn: () => getJson<HandoffList>(handoffsUrl(filter)), initialData });
}
