// Policy decisions for the API and the policy pages. The policy-decisions document (API and
// page share it): the matching decisions, the gate evaluations they belong to — completed with
// the invocations outside the filters, so a BLOCK filter still shows every edge of the blocked
// call — and per-policy figures; and the values the page's filters offer.
import { getDb, type ClientHandle } from "../db/client";
import { blockedCalls, findDecisionsOfCalls, findPolicyDecisions, policyFacets as storedFacets, policyTallies, type PolicyDecisionFilters, type StoredPolicyDecision } from "../db/queries/policy-decisions";
import { confirmationOf, EVALUATION_GAP_US, fireRate, groupGateEvaluations, type GateEvaluation, type ReconstructedEdge } from "../analysis/policy-groups";
import type { WalkedPolicy } from "../analysis/policy-walk";
import { depthLabel } from "../records/depth";
import { type GateEvaluationWire, type PolicyDecisionsQuery, type PolicyDecisionsResponse, type PolicyDecisionWire, type PolicyFacets } from "../api-contract/policy";
import { encodeTsIdCursor } from "../pagination/cursor";


/**
 * How far around a page to look for the rest of its evaluations. Evaluations chain
 * decisions at most EVALUATION_GAP_US apart; one longer than this margin is cut at it.
 */
const CONTEXT_MARGIN_US = 30 * EVALUATION_GAP_US;

export const filtersOf = (q: PolicyDecisionsQuery): PolicyDecisionFilters => ({
  agentId: q.agent_id,
  action: q.action,
  policy: q.policy,
  edge: q.edge,
  depth: q.depth,
  callKey: q.call_key,
});

export async function loadPolicyDecisions(q: PolicyDecisionsQuery, h: ClientHandle = getDb()): Promise<PolicyDecisionsResponse> {
  const filters = filtersOf(q);
  const [page, tallies, blocked] = await Promise.all([
    findPolicyDecisions(h, filters, { limit: q.limit, before: q.cursor }),
    policyTallies(h, filters),
    blockedCalls(h, filters),
  ]);
  const matched = page.decisions;
  const around = matched.length
    ? await findDecisionsOfCalls(
        h,
        [...new Set(matched.map((d) => d.callKey))],
        Math.min(...matched.map((d) => d.ts)) - CONTEXT_MARGIN_US,
        Math.max(...matched.map((d) => d.ts)) + CONTEXT_MARGIN_US,
      )
    : [];
  // The page's own rows are in `around` too; merging by id keeps them if the cap cut them.
  const byId = new Map([...around, ...matched].map((d) => [d.id, d]));
  const evaluations = groupGateEvaluations([...byId.values()]);
  const evaluationOf = new Map(evaluations.flatMap((g) => g.invocations.map((d) => [d.id, g.id] as const)));
  const reconstructedOf = new Map(evaluations.flatMap((g) => g.reconstructed.map((r) => [r.decisionId, r] as const)));
  const matchedIds = new Set(matched.map((d) => d.id));
  const last = matched[matched.length - 1];
  return {
    decisions: matched.map((d) => decisionWire(d, evaluationOf.get(d.id) ?? d.id, reconstructedOf.get(d.id))),
    groups: evaluations
      .filter((g) => g.invocations.some((d) => matchedIds.has(d.id)))
      .reverse()
      .map(evaluationWire),
    blocked_calls: blocked,
    policies: tallies.map((t) => ({
      policy: t.policy,
      invocations: t.invocations,
      fired: t.fired,
      fire_rate: fireRate(t),
      blocks: t.blocks,
      fail_closed: t.failClosed,
      last_fired: t.lastFired,
    })),
    next_cursor: page.more && last ? encodeTsIdCursor({ ts: last.ts, id: last.id }) : null,
  };
}

/** The values the policy page's filters offer. */
export function policyFacets(h: ClientHandle = getDb()): Promise<PolicyFacets> {
  return storedFacets(h);
}

const toolCallWire = (d: StoredPolicyDecision) => ({ tool_name: d.toolCall.toolName, call_args: d.toolCall.callArgs, call_kwargs: d.toolCall.callKwargs });

const edgeWire = (e: { sourceName: string; targetName: string; sourceDepth: number | null; targetDepth: number | null }) => ({
  source_name: e.sourceName,
  target_name: e.targetName,
  source_depth: e.sourceDepth,
  target_depth: e.targetDepth,
  source_depth_label: depthLabel(e.sourceDepth),
  target_depth_label: depthLabel(e.targetDepth),
});

const walkedPolicyWire = (p: WalkedPolicy) => ({
  name: p.name,
  requires_confirmation: p.requiresConfirmation,
  trigger_cardinality: p.triggerCardinality,
  callback: p.callback,
  confirmation_message: p.confirmationMessage,
  metadata: p.metadata,
});

function callbackResultWire(d: StoredPolicyDecision): PolicyDecisionWire["callback_result"] {
  return {
    returned: d.passed === null ? "raised" : typeof d.returned === "boolean" ? "bool" : "result",
    value: d.returned,
    fires: d.passed === null ? null : !d.passed,
    passed: d.passed,
    message: d.message,
    error: d.passed === null ? d.callbackError || null : null,
  };
}

function outcomeWire(d: StoredPolicyDecision, outcome = d.outcome): PolicyDecisionWire["decision"] {
  if (!outcome) return null;
  return {
    ...outcome,
    confirmation: confirmationOf(outcome),
    confirmation_message: d.confirmationMessage,
    violations: d.violations?.map((v) => ({ policy: v.policy, requires_confirmation: v.requiresConfirmation, callback_result: v.callbackResult })) ?? null,
  };
}

function decisionWire(d: StoredPolicyDecision, evaluationId: string, reconstructed?: ReconstructedEdge): PolicyDecisionWire {
  return {
    id: d.id,
    source: d.source,
    source_id: d.sourceId,
    agent_id: d.agentId,
    created_at: d.createdAt,
    shape: d.shape,
    call_key: d.callKey,
    tool_call: toolCallWire(d),
    edge: d.edge ? edgeWire(d.edge) : null,
    policy: d.policy
      ? {
          name: d.policy.name,
          requires_confirmation: d.policy.requiresConfirmation,
          trigger_cardinality: d.policy.triggerCardinality,
          callback: d.policy.callback,
          confirmation_message: d.policy.confirmationMessage,
          metadata: d.policy.metadata,
        }
      : null,
    reconstructed: reconstructed
      ? { edge: reconstructed.policy ? edgeWire(reconstructed.policy.edge) : null, policy: reconstructed.policy ? walkedPolicyWire(reconstructed.policy) : null, note: reconstructed.reason }
      : null,
    callback_result: callbackResultWire(d),
    fail_closed: d.failClosed,
    decision: outcomeWire(d),
    evaluation_id: evaluationId,
  };
}

function evaluationWire(g: GateEvaluation<StoredPolicyDecision>): GateEvaluationWire {
  return {
    id: g.id,
    call_key: g.callKey,
    agent_id: g.agentId,
    shape: g.shape,
    tool_call: toolCallWire(g.invocations[0]),
    first_at: g.firstAt,
    last_at: g.lastAt,
    outcome: outcomeWire(g.invocations.find((d) => d.outcome) ?? g.invocations[0], g.outcome),
    failed_callbacks: g.failedCallbacks,
    raised_callbacks: g.raisedCallbacks,
    blocked: g.blocked,
    fail_closed: g.failClosed,
    invocations: g.invocations.map((d, i) => decisionWire(d, g.id, g.reconstructed[i])),
    diagnostics: g.diagnostics.map((x) => ({ code: x.code, count: x.count, decision_ids: x.decisionIds, message: x.message })),
  };
}
