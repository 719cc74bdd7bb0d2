// What a share link may show: exactly its resource, and the records inside it (an agent's
// own events; the intercepts a handoff's analysis cites). Everything else is "not found",
// the same answer as for a bad token, so a visitor learns nothing about other records.
import { getDb } from "../db/client";
import { getIntercept, type InterceptDetail } from "../db/queries/intercepts";
import { getHandoffDetail, type HandoffDetail } from "../db/queries/handoffs";
import { agentTimeline, type TimelineFilter, type TimelinePage } from "../db/queries/timeline";
import type { Json } from "../records/json";
import type { OpenShare } from "./service";
import { redactBody } from "./redact";

export async function sharedHandoff(share: OpenShare): Promise<HandoffDetail | null> {
  if (share.resourceType !== "handoff") return null;
  const detail = await getHandoffDetail(getDb(), share.resourceId);
  if (!detail || !share.redactPayloads) return detail;
  // Bodies give way to their hash and size; claim values and the values at their paths stay,
  // since they are what the audit is about.
  const intercepts = Object.fromEntries(
    Object.entries(detail.intercepts).map(([id, i]) => [id, { ...i, raw_response: redactJson(i.raw_response) }]),
  );
  return { ...detail, intercepts };
}

/** An intercept the share covers: the shared one, one of the shared agent, or one the shared handoff cites. */
export async function sharedIntercept(share: OpenShare, id: string): Promise<InterceptDetail | null> {
  const conn = getDb();
  const detail = await getIntercept(conn, id);
  if (!detail) return null;
  const covered =
    (share.resourceType === "intercept" && share.resourceId === id) ||
    (share.resourceType === "agent" && share.resourceId === detail.agent_id) ||
    (share.resourceType === "handoff" && id in ((await getHandoffDetail(conn, share.resourceId))?.intercepts ?? {}));
  if (!covered) return null;
  if (!share.redactPayloads) return detail;
  const stored = await conn.db.intercept.findUnique({ where: { id }, select: { requestPayload: true, rawResponse: true } });
  return {
    ...detail,
    request_payload: redactBody(stored?.requestPayload ?? null) as unknown as Json,
    raw_response: redactBody(stored?.rawResponse ?? null) as unknown as Json,
    extra: null,
  };
}

/** The shared agent's timeline; its links lead only through the share, to this agent's intercepts. */
export async function sharedTimeline(share: OpenShare, token: string, filter: Omit<TimelineFilter, "agentId">): Promise<TimelinePage | null> {
  if (share.resourceType !== "agent") return null;
  const page = await agentTimeline(getDb(), { ...filter, agentId: share.resourceId } as TimelineFilter);
  const events = page.events.map((e) => ({ ...e, link: e.kind.endsWith("_call") ? sharedInterceptHref(token, e.id) : "" }));
  return { ...page, events };
}

export const sharedInterceptHref = (token: string, id: string) => `/s/${token}/intercepts/${encodeURIComponent(id)}`;

function redactJson(v: Json | null): Json | null {
  return v === null ? null : (redactBody(JSON.stringify(v)) as unknown as Json);
}
