"use client";
// React Query hook for one intercept; stable key ["intercept", id].
import { useQuery } from "@tanstack/react-query";
import type { InterceptDetail } from "@/lib/db/queries/intercepts";

export const interceptKey = (id: string) => ["intercept", id] as const;

export function useIntercept(id: string, initialData?: InterceptDetail) {
  return useQuery({
    queryKey: interceptKey(id),
    initialData,
    queryFn: async (): Promise<InterceptDetail> => {
      const url = `/api/v1/intercepts/${encodeURIComponent(id)}`;
      const res = await fetch(url, { headers: { accept: "application/json" } });
      if (!res.ok) throw new Error(`${url} answered ${res.status}`);
      return (await res.json()) as InterceptDetail;
    },
  });
}
