// The rows ingest writes: their shapes, columns and values in column order. What is done with
// them (one transaction per request, leak links, counts, alerts, the evidence chain) is
// lib/ingest/store.ts.
import type { Dialect } from "../config";
import type { NormalizedIntercept } from "../../records/intercept";
import type { NormalizedPolicyDecision } from "../../records/policy-decision";
import type { NormalizedHandoff } from "../../records/handoff";
import type { CallKind } from "../../analysis/classify-call";
import { boolParam } from "../dialect";

/** recordHash: the hash of the record's canonical form, when prepare computed it (docs/evidence.md). */
export type InterceptRow = NormalizedIntercept & { id: string; kind: CallKind; llmProvider: string | null; ingestedAt: number; recordHash?: string };
/** batchIndex: the record's position in its request (with ingestedAt, the order of arrival). */
export type PolicyDecisionRow = NormalizedPolicyDecision & { id: string; ingestedAt: number; batchIndex: number | null; recordHash?: string };
export type HandoffRow = NormalizedHandoff & { id: string; ingestedAt: number; recordHash?: string };

export interface Batch {
  /** The LLM host list the intercepts were classified with (normalized). */
  llmHosts: string;
  intercepts: InterceptRow[];
  policyDecisions: PolicyDecisionRow[];
  handoffs: HandoffRow[];
}

export const INTERCEPT_COLUMNS = [
  "id", "source", "source_id", "dedupe_key", "generation", "agent_id", "action_name", "kind", "llm_provider",
  "source_url", "method", "host", "path", "request_payload", "raw_response", "response_hash", "created_at", "ts",
  "call_ref", "run_id", "intercept_index", "is_leak", "extra", "ingested_at",
] as const;
/** Written with every record: its hash and place in the transaction's evidence batch (docs/evidence.md). */
export const CHAIN_COLUMNS = ["record_hash", "batch_id", "batch_pos"] as const;
export const POLICY_COLUMNS = [
  "id", "source", "source_id", "dedupe_key", "agent_id", "created_at", "ts", "shape", "tool_name", "call_key",
  "edge_source", "edge_target", "source_depth", "target_depth", "policy_name", "passed", "message", "fail_closed",
  "callback_error", "batch_index", "action", "reason", "confirmation", "context", "callback_result", "decision", "extra", "ingested_at",
] as const;
export const HANDOFF_COLUMNS = [
  "id", "source", "source_id", "dedupe_key", "agent_id", "created_at", "ts", "generation", "run_id", "task",
  "claim_count", "payload", "evaluation", "evaluator_outcome", "extra", "ingested_at",
] as const;

const nullableBool = (dialect: Dialect) => (v: boolean | null) => (v === null ? null : boolParam(dialect, v));

/** An intercept row's values in INTERCEPT_COLUMNS order (also used by the benchmark's raw baseline). */
export function interceptValues(r: InterceptRow, dialect: Dialect): unknown[] {
  return [
    r.id, r.source, r.sourceId, r.dedupeKey, r.generation, r.agentId, r.actionName, r.kind, r.llmProvider,
    r.sourceUrl, r.method, r.host, r.path, r.requestPayload, r.rawResponse, r.responseHash, r.createdAt, r.ts,
    r.callRef, r.runId, r.interceptIndex, boolParam(dialect, false), r.extra, r.ingestedAt,
  ];
}

/** A policy decision row's values in POLICY_COLUMNS order. */
export function policyDecisionValues(r: PolicyDecisionRow, dialect: Dialect): unknown[] {
  const b = nullableBool(dialect);
  return [
    r.id, r.source, r.sourceId, r.dedupeKey, r.agentId, r.createdAt, r.ts, r.shape, r.toolName, r.callKey,
    r.edgeSource, r.edgeTarget, r.sourceDepth, r.targetDepth, r.policyName, b(r.passed), r.message, b(r.failClosed),
    r.callbackError, r.batchIndex, r.action, r.reason, r.confirmation, r.context, r.callbackResult, r.decision, r.extra, r.ingestedAt,
  ];
}

/** A handoff row's values in HANDOFF_COLUMNS order. */
export function handoffValues(r: HandoffRow): unknown[] {
  return [
    r.id, r.source, r.sourceId, r.dedupeKey, r.agentId, r.createdAt, r.ts, r.generation, r.runId, r.task,
    r.claimCount, r.payload, r.evaluation, r.evaluatorOutcome, r.extra, r.ingestedAt,
  ];
}
