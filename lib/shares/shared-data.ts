// What a share link may show: exactly its resource, and the records inside it (an agent's
// own events; the intercepts a handoff's analysis cites). Everything else is "not found",
// the same answer as for a bad token, so a visitor learns nothing about other records.
import { getDb } from "../db/client";
import { getIntercept } from "../intercepts/service";
import { getHandoffDetail } from "../handoffs/service";
import type { InterceptDetail } from "../api-contract/intercepts";
import type { HandoffDetail } from "../api-contract/handoffs";
import type { TimelinePage } from "../api-contract/timeline";
import { timelinePage } from "../timeline/service";
import type { TimelineView } from "../timeline/filter";
import { loadAgentPage, type AgentPage } from "../agents/service";
import { sharedScope } from "../records/record-links";
import { isPlainObject, type Json } from "../records/json";
import { citedInterceptIds } from "../analysis/handoff-analysis";
import type { OpenShare } from "./service";
import { quoteRedacted, redactBody } from "./redact";
import { decodeParam } from "../http/page-params";

export async function sharedHandoff(share: OpenShare): Promise<HandoffDetail | null> {
  if (share.resourceType !== "handoff") return null;
  const detail = await getHandoffDetail(share.resourceId, share.redactPayloads ? { quote: quoteRedacted } : {});
  if (!detail) return null;
  // The page names only the intercepts its claims cite; the share carries no other candidate.
  const cited = citedInterceptIds(detail.analysis);
  const intercepts = Object.fromEntries(Object.entries(detail.intercepts).filter(([id]) => cited.has(id)));
  // The review state and notes are shown read-only; who reviewed (a key's name) stays inside.
  const reviews = detail.reviews.map((r) => ({ ...r, actor: null }));
  if (!share.redactPayloads) return { ...detail, intercepts, reviews };
  // Every rendering of a body gives way to its hash and size: the responses, the value at each
  // claim's path, both sides of the diff, and structured claimed values (a verbatim claim is a
  // whole body). Details and causes were written with quoteRedacted. Scalar claims stay: they are
  // what the agent said, and the hashes show whether they match what was recorded.
  return {
    ...detail,
    reviews,
    payload: redactJson(detail.payload),
    evaluation: redactEvaluation(detail.evaluation),
    analysis: {
      ...detail.analysis,
      claims: detail.analysis.claims.map((c) => ({
        ...c,
        claimed_value: redactStructured(c.claimed_value),
        value_at_path: c.value_at_path.found ? { ...c.value_at_path, value: redactJson(c.value_at_path.value) } : c.value_at_path,
        diff: c.diff.map((d) => ({ ...d, recorded: redactOptional(d.recorded), claimed: redactOptional(d.claimed) })),
      })),
    },
    intercepts: Object.fromEntries(Object.entries(intercepts).map(([id, i]) => [id, { ...i, raw_response: redactJson(i.raw_response) }])),
  };
}

/** An intercept the share covers: the shared one, one of the shared agent, or one the shared handoff's page cites. */
export async function sharedIntercept(share: OpenShare, id: string): Promise<InterceptDetail | null> {
  // No record holds U+0000 (PostgreSQL refuses it): "not covered", like any other unknown id.
  if (id.includes("\u0000") || decodeParam(id).includes("\u0000")) return null;
  const conn = getDb();
  const detail = await getIntercept(id, conn);
  if (!detail) return null;
  const covered =
    (share.resourceType === "intercept" && share.resourceId === id) ||
    (share.resourceType === "agent" && share.resourceId === detail.agent_id) ||
    (share.resourceType === "handoff" && (await handoffCites(share.resourceId, id)));
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

async function handoffCites(handoffId: string, interceptId: string): Promise<boolean> {
  const handoff = await getHandoffDetail(handoffId);
  return !!handoff && citedInterceptIds(handoff.analysis).has(interceptId);
}

/** The shared agent's timeline; its links lead only through the share, to this agent's intercepts. */
export async function sharedTimeline(share: OpenShare, token: string, view: TimelineView): Promise<TimelinePage | null> {
  if (share.resourceType !== "agent") return null;
  return timelinePage(getDb(), { ...view, agentId: share.resourceId }, sharedScope(token));
}

/** What the shared agent's page shows: the agent page's loader, in the share's scope. */
export async function sharedAgentPage(share: OpenShare, token: string, view: TimelineView): Promise<AgentPage | null> {
  if (share.resourceType !== "agent") return null;
  return loadAgentPage(getDb(), share.resourceId, { view, scope: sharedScope(token) });
}

function redactJson(v: Json | null): Json | null {
  return v === null ? null : (redactBody(JSON.stringify(v)) as unknown as Json);
}

const redactOptional = (v: Json | undefined): Json | undefined => (v === undefined ? undefined : redactJson(v) ?? null);
const redactStructured = (v: Json | null): Json | null => (v !== null && typeof v === "object" ? redactJson(v) : v);

/** The evaluator's verdicts stay; the values it indexed (body content) do not. */
function redactEvaluation(e: Json | null): Json | null {
  if (!isPlainObject(e)) return redactJson(e);
  const perClaim = Array.isArray(e.per_claim) ? e.per_claim.map((c) => (isPlainObject(c) ? { result: c.result ?? null } : null)) : [];
  return { outcome: e.outcome ?? null, errors: Array.isArray(e.errors) ? e.errors : [], per_claim: perClaim };
}
