// Where the handoff view links to. Null on a shared page: it shows only what was shared.
export interface HandoffLinks {
  intercept: (id: string) => string;
  /** the agent timeline with that event selected */
  timeline: (agentId: string, eventId: string) => string;
}

export const DASHBOARD_LINKS: HandoffLinks = {
  intercept: (id) => `/intercepts/${encodeURIComponent(id)}`,
  timeline: (agentId, eventId) => `/agents/${encodeURIComponent(agentId)}?event=${encodeURIComponent(eventId)}`,
};
