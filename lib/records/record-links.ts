// The one place that knows where a record opens. The dashboard links to its own pages and
// API; a shared view swaps in its token's scope, which reaches only the shared agent's calls
// (no handoff pages, no policy list) and reads through /api/s/<token>/… . Pages, the timeline
// service and the timeline's client components all take their links from here. The scope is
// plain data, so a server page can hand it to a client component.

export type LinkScope = { kind: "dashboard" } | { kind: "shared"; token: string };

export const DASHBOARD_SCOPE: LinkScope = { kind: "dashboard" };
export const sharedScope = (token: string): LinkScope => ({ kind: "shared", token });

export interface RecordLinks {
  /** an agent's timeline page, optionally narrowed to its leaks and with one event selected */
  agent(agentId: string, opts?: AgentPageOptions): string;
  /** the page of one recorded call */
  intercept(id: string): string;
  /** the page of one handoff; null where the scope does not reach it */
  handoff(id: string): string | null;
  /** an agent's policy decisions (optionally only one gate action); null where the scope does not reach them */
  policyDecisions(agentId: string, action?: string): string | null;
  /** the API that pages through an agent's timeline */
  timelineApi(agentId: string): string;
  /** the API that answers one recorded call with its request and response */
  interceptApi(id: string): string;
  /** the API that answers one handoff with its analysis; null where the scope does not reach it */
  handoffApi(id: string): string | null;
}

export interface AgentPageOptions {
  leaksOnly?: boolean;
  event?: string;
}

const enc = encodeURIComponent;
const agentQuery = ({ leaksOnly, event }: AgentPageOptions = {}) => {
  const q = [leaksOnly ? "leaks_only=true" : "", event ? `event=${enc(event)}` : ""].filter(Boolean).join("&");
  return q ? `?${q}` : "";
};

/** The dashboard's links; typed as always present, for pages that are only ever the dashboard's. */
export const dashboardLinks = {
  agent: (agentId: string, opts?: AgentPageOptions) => `/agents/${enc(agentId)}${agentQuery(opts)}`,
  intercept: (id: string) => `/intercepts/${enc(id)}`,
  handoff: (id: string) => `/handoffs/${enc(id)}`,
  policyDecisions: (agentId: string, action?: string) => `/policy?agent_id=${enc(agentId)}${action ? `&action=${enc(action)}` : ""}`,
  timelineApi: (agentId: string) => `/api/v1/agents/${enc(agentId)}/timeline`,
  interceptApi: (id: string) => `/api/v1/intercepts/${enc(id)}`,
  handoffApi: (id: string) => `/api/v1/handoffs/${enc(id)}`,
} satisfies RecordLinks;

/** A share token is URL-safe as issued (lib/shares/tokens.ts), so it goes into the path as is. */
const shared = (token: string): RecordLinks => ({
  // The shared page is the one agent's timeline.
  agent: (_agentId, opts) => `/s/${token}${agentQuery(opts)}`,
  intercept: (id) => `/s/${token}/intercepts/${enc(id)}`,
  handoff: () => null,
  policyDecisions: () => null,
  timelineApi: () => `/api/s/${token}/timeline`,
  interceptApi: (id) => `/api/s/${token}/intercepts/${enc(id)}`,
  handoffApi: () => null,
});

export function recordLinks(scope: LinkScope): RecordLinks {
  return scope.kind === "shared" ? shared(scope.token) : dashboardLinks;
}
