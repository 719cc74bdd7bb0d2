// The kinds of timeline events, in a module of their own so client components can import them.
export const EVENT_KINDS = ["tool_call", "llm_call", "untagged_call", "policy_decision", "handoff"] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Events per page the dashboard asks for (the API allows up to 1,000). */
export const PAGE_SIZE = 500;
