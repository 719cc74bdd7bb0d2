// The kinds of timeline events and the dashboard's page size: plain constants that the query,
// the API contract, the page and client components all use, so they live below every layer.
export const EVENT_KINDS = ["tool_call", "llm_call", "untagged_call", "policy_decision", "handoff"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Events per page the dashboard asks for (the API allows up to 1,000). */
export const PAGE_SIZE = 500;
