// The kinds of timeline events and the dashboard's page size: plain constants that the query,
// the API contract, the page and client components all use, so they live below every layer.
export const EVENT_KINDS = ["tool_call", "llm_call", "untagged_call", "policy_decision", "handoff"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Events per page the dashboard asks for (the API allows up to 1,000). */
export const PAGE_SIZE = 500;

/**
 * How the timeline's filter parameters are written, for the API's schema and the page's own
 * reading of its URL alike: kinds and actions as comma-separated lists, leaks_only as a flag.
 */
export const splitList = (s: string): string[] => s.split(",").map((x) => x.trim()).filter(Boolean);
export const LEAKS_ONLY_VALUES = ["true", "false", "1", "0"] as const;
export const isLeaksOnly = (v: string | null | undefined): boolean => v === "true" || v === "1";
