"use client";
// React Query hook for policy decisions; the query key is stable: ["policy-decisions", filter].
import { useQuery } from "@tanstack/react-query";
import { getJson } from "./fetch-json";
import { POLICY_FILTER_KEYS, policyFilterParams, type PolicyDecisionsResponse, type PolicyFilter } from "@/lib/api-contract/policy";

export type { PolicyFilter };

export const policyDecisionsKey = (f: PolicyFilter) => ["policy-decisions", Object.fromEntries(POLICY_FILTER_KEYS.map((k) => [k, f[k] ?? null]))] as const;

export function policyDecisionsUrl(f: PolicyFilter): string {
  const p = policyFilterParams(f);
  return `/api/v1/policy-decisions${p.size ? `?${p}` : ""}`;
}

export function usePolicyDecisions(filter: PolicyFilter, initialData?: PolicyDecisionsResponse) {
  return useQuery({ queryKey: policyDecisionsKey(filter), queryFn: () => getJson<PolicyDecisionsResponse>(policyDecisionsUrl(filter)), initialData });
}
