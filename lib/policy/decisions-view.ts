// The policy-decisions document (API and page share it): the matching decisions, the gate
// evaluations they belong to — completed with the invocations outside the filters, so a
// BLOCK filter still shows every edge of the blocked call — and per-policy figures.
import type { Db } from "../db/client";
import type { Dialect } from "../db/config";
import { findDecisionsOfCalls, findPolicyDecisions, policyTallies, type PolicyDecisionFilters, type StoredPolicyDecision } from "../db/queries/policy-decisions";
import { blockRate, EVALUATION_GAP_US, groupGateEvaluations, type GateEvaluation } from "../analysis/policy-groups";
import { depthLabel } from "../records/depth";
import { encodeCursor, type GateEvaluationWire, type PolicyDecisionsQuery, type PolicyDecisionsResponse, type PolicyDecisionWire } from "../api-contract/policy";

type Handle = { db: Db; dialect: Dialect };

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

export async function loadPolicyDecisions(h: Handle, q: PolicyDecisionsQuery): Promise<PolicyDecisionsResponse> {
  const filters = filtersOf(q);
  const [page, tallies] = await Promise.all([findPolicyDecisions(h, filters, { limit: q.limit, before: q.cursor }), policyTallies(h, filters)]);
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
  const matchedIds = new Set(matched.map((d) => d.id));
  const last = matched[matched.length - 1];
  return {
    decisions: matched.map((d) => decisionWire(d, evaluationOf.get(d.id) ?? d.id)),
    groups: evaluations
      .filter((g) => g.invocations.some((d) => matchedIds.has(d.id)))
      .reverse()
      .map(evaluationWire),
    policies: tallies.map((t) => ({
      policy: t.policy,
      invocations: t.invocations,
      blocks: t.blocks,
      block_rate: blockRate(t),
      fail_closed: t.failClosed,
      last_fired: t.lastFired,
    })),
    next_cursor: page.more && last ? encodeCursor({ ts: last.ts, id: last.id }) : null,
  };
}

const toolCallWire = (d: StoredPolicyDecision) => ({ tool_name: d.toolCall.toolName, call_args: d.toolCall.callArgs, call_kwargs: d.toolCall.callKwargs });

function decisionWire(d: StoredPolicyDecision, evaluationId: string): PolicyDecisionWire {
  return {
    id: d.id,
    source: d.source,
    source_id: d.sourceId,
    agent_id: d.agentId,
    created_at: d.createdAt,
    shape: d.shape,
    call_key: d.callKey,
    tool_call: toolCallWire(d),
    edge: d.edge
      ? {
          source_name: d.edge.sourceName,
          target_name: d.edge.targetName,
          source_depth: d.edge.sourceDepth,
          target_depth: d.edge.targetDepth,
          source_depth_label: depthLabel(d.edge.sourceDepth),
          target_depth_label: depthLabel(d.edge.targetDepth),
        }
      : null,
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
    callback_result: { passed: d.passed, message: d.message },
    fail_closed: d.failClosed,
    decision: d.outcome,
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
    outcome: g.outcome,
    failed_callbacks: g.failedCallbacks,
    fail_closed: g.failClosed,
    invocations: g.invocations.map((d) => decisionWire(d, g.id)),
    diagnostics: g.diagnostics.map((x) => ({ code: x.code, count: x.count, decision_ids: x.decisionIds, message: x.message })),
  };
}
