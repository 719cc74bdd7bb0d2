"use client";
// React Query hook for the agents list; stable key ["agents"].
import { useQuery } from "@tanstack/react-query";
import type { AgentSummary } from "@/lib/db/queries/agents";

export const agentsKey = ["agents"] as const;

async function fetchAgents(): Promise<AgentSummary[]> {
  const res = await fetch("/api/v1/agents", { headers: { accept: "application/json" } });
  if (!res.ok) throw new Error(`/api/v1/agents answered ${res.status}`);
  return ((await res.json()) as { agents: AgentSummary[] }).agents;
}

/** The agents with their counts, refreshed every 10 s so new traffic shows without a reload. */
export function useAgents(initialData?: AgentSummary[]) {
  return useQuery({ queryKey: agentsKey, queryFn: fetchAgents, initialData, refetchInterval: 10_000 });
}
