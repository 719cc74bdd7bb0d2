"use client";
// React Query hook for one intercept; stable key ["intercept", id].
import { useQuery } from "@tanstack/react-query";
import { getJson } from "./fetch-json";
import type { InterceptDetail } from "@/lib/api-contract/intercepts";

export const interceptKey = (id: string) => ["intercept", id] as const;

export function useIntercept(id: string, initialData?: InterceptDetail) {
  return useQuery({
    queryKey: interceptKey(id),
    initialData,
    queryFn: () => getJson<InterceptDetail>(`/api/v1/intercepts/${encodeURIComponent(id)}`),
  });
}
