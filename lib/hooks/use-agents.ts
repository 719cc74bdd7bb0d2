"use client";
// React Query hook for the agents list; stable key ["agents"].
import { useQuery } from "@tanstack/react-query";
import { getJson } from "./fetch-json";
import type { AgentSummary } from "@/lib/api-contract/timeline";

export const agentsKey = ["agents"] as const;

async function fetchAgents(): Promise<AgentSummary[]> {
  return (await getJson<{ agents: AgentSummary[] }>("/api/v1/agents")).agents;
}

/** The agents with their counts, refreshed every 10 s so new traffic shows without a reload. */
export function useAgents(initialData?: AgentSummary[]) {
  return useQuery({ queryKey: agentsKey, queryFn: fetchAgents, initialData, refetchInterval: 10_000 });
}
