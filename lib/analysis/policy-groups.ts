// Groups policy decisions into gate evaluations: the gate calls one callback per triggering
// edge of a tool call, and an auditor wants those invocations side by side with what the
// gate finally did. Pure: the rows come in, the groups go out.
//
// The grouping rule. Decisions belong to one gate evaluation when they share the call key
// (agent, tool name and arguments, hashed at ingest) and follow each other closely:
//   1. ordered by (ts, id), each decision joins the open evaluation of its call key if it
//      comes at most EVALUATION_GAP_US after that evaluation's previous decision;
//   2. and it has the same context shape (a gate writes one shape or the other);
//   3. and its recorded gate outcome does not contradict the evaluation's (the gate writes
//      the same outcome on every invocation of one evaluation);
//   4. and, for the composed shape, its edge (policy + source → target) is not already in
//      the evaluation: the gate calls each triggering edge once per evaluation, so a
//      repeated edge means the tool call was evaluated again.
// Otherwise it starts a new evaluation. The older shape has no edge identity, so rule 4
// cannot apply; instead (policy-walk.ts) its context carries the grounding result the gate
// walks, so:
//   5. an older-shape invocation joins only an evaluation with the very same context, that
//      has fewer invocations than the walk makes callbacks, and whose last callback did
//      not raise (an exception escaped the guard and ended that evaluation);
// and each invocation's edge is then recovered as the n-th policy of the walk, shown as
// reconstructed (or, where the order or the cardinality leaves it open, why not).
//
// Order: created_at, then the order of arrival (request, then position in it), then id.
import { canonicalJson, type Json } from "../records/json";
import { maxInvocations, reconstructInvocations, type WalkedPolicy } from "./policy-walk";

/** Two seconds: the invocations of one evaluation are milliseconds apart; a retry is not. */
export const EVALUATION_GAP_US = 2_000_000;

/** PENDING: the older gate's own result (confirmation needed), before the guard acted on it. */
export type GateAction = "PASS" | "BLOCK" | "PENDING";
export type Confirmation = "granted" | "declined" | "no_handler" | "handler_raised";

export interface GateOutcome {
  action: GateAction;
  reason: string | null;
  confirmation: Confirmation | null;
}

export interface TriggeringEdge {
  sourceName: string;
  targetName: string;
  sourceDepth: number | null;
  targetDepth: number | null;
}

/** What grouping needs of one stored decision. */
export interface GateInvocation {
  id: string;
  ts: number;
  createdAt: string;
  agentId: string;
  toolName: string;
  callKey: string;
  shape: "edge" | "legacy";
  edge: TriggeringEdge | null;
  policyName: string | null;
  /** false: the policy fired (a violation); null: the callback raised */
  passed: boolean | null;
  message: string | null;
  failClosed: boolean;
  /** What the callback raised, when it raised (older releases let it escape the guard). */
  callbackError?: string | null;
  /** Order of arrival: ingested_at of the request, position of the record in it. */
  arrival?: readonly [number, number | null];
  outcome: GateOutcome | null;
  /** The stored (masked) context, compared to find indistinguishable invocations. */
  context: Json;
}

export interface IndistinguishableDiagnostic {
  code: "indistinguishable_invocations";
  count: number;
  decisionIds: string[];
  message: string;
}

/** An older-shape invocation's edge, recovered from the gate's walk of its grounding. */
export interface ReconstructedEdge {
  decisionId: string;
  /** null: not recoverable, `reason` says why */
  policy: WalkedPolicy | null;
  reason: string | null;
}

export interface GateEvaluation<T extends GateInvocation> {
  /** The id of the evaluation's first decision: stable as long as that decision is stored. */
  id: string;
  callKey: string;
  agentId: string;
  toolName: string;
  shape: "edge" | "legacy";
  firstAt: string;
  lastAt: string;
  invocations: T[];
  /** The gate's outcome for the tool call, or null when the gate did not record it. */
  outcome: GateOutcome | null;
  failedCallbacks: number;
  /** Callbacks that raised instead of returning (older releases). */
  raisedCallbacks: number;
  failClosed: boolean;
  /** The gate blocked the tool call (one blocked tool call, however many callbacks fired). */
  blocked: boolean;
  /** Older shape only: each invocation's edge from the walk, in invocation order. */
  reconstructed: ReconstructedEdge[];
  diagnostics: IndistinguishableDiagnostic[];
}

export const edgeKey = (d: Pick<GateInvocation, "policyName" | "edge">): string =>
  JSON.stringify([d.policyName, d.edge?.sourceName ?? null, d.edge?.targetName ?? null]);

const sameOutcome = (a: GateOutcome, b: GateOutcome) => a.action === b.action && (a.reason ?? null) === (b.reason ?? null) && a.confirmation === b.confirmation;

interface Open<T extends GateInvocation> {
  invocations: T[];
  lastTs: number;
  outcome: GateOutcome | null;
  edges: Set<string>;
  /** older shape: the canonical context, and how many callbacks its walk makes at most */
  legacyKey: string | null;
  legacyMax: number | null;
}

const legacyKeyOf = (d: GateInvocation) => canonicalJson(d.context);
const groundingOf = (d: GateInvocation): Json | undefined => (d.context && typeof d.context === "object" && !Array.isArray(d.context) ? d.context.grounding : undefined);

function continues<T extends GateInvocation>(open: Open<T>, d: T): boolean {
  const first = open.invocations[0];
  if (d.ts - open.lastTs > EVALUATION_GAP_US) return false;
  if (d.shape !== first.shape) return false;
  if (open.outcome && d.outcome && !sameOutcome(open.outcome, d.outcome)) return false;
  if (d.shape === "edge") return !open.edges.has(edgeKey(d));
  const last = open.invocations[open.invocations.length - 1];
  if (last.passed === null) return false; // the callback raised: that evaluation ended there
  if (open.legacyKey !== legacyKeyOf(d)) return false;
  return !open.legacyMax || open.invocations.length < open.legacyMax;
}

const cmp = (a: number | null | undefined, b: number | null | undefined) => (a ?? -1) - (b ?? -1);

/** created_at, then arrival (request, position in it), then id. */
export function invocationOrder(a: GateInvocation, b: GateInvocation): number {
  return a.ts - b.ts || cmp(a.arrival?.[0], b.arrival?.[0]) || cmp(a.arrival?.[1], b.arrival?.[1]) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Groups decisions (any order) into gate evaluations, oldest first. */
export function groupGateEvaluations<T extends GateInvocation>(decisions: readonly T[]): GateEvaluation<T>[] {
  const sorted = [...decisions].sort(invocationOrder);
  const groups: Open<T>[] = [];
  const openByCall = new Map<string, Open<T>>();
  for (const d of sorted) {
    let open = openByCall.get(d.callKey);
    if (!open || !continues(open, d)) {
      const legacy = d.shape === "legacy";
      open = { invocations: [], lastTs: d.ts, outcome: null, edges: new Set(), legacyKey: legacy ? legacyKeyOf(d) : null, legacyMax: legacy ? maxInvocations(groundingOf(d)) : null };
      groups.push(open);
      openByCall.set(d.callKey, open);
    }
    open.invocations.push(d);
    open.lastTs = d.ts;
    open.outcome ??= d.outcome;
    if (d.shape === "edge") open.edges.add(edgeKey(d));
  }
  return groups.map((g) => finish(g));
}

function finish<T extends GateInvocation>(g: Open<T>): GateEvaluation<T> {
  const first = g.invocations[0];
  const reconstructed = first.shape === "legacy" ? reconstructEdges(g.invocations) : [];
  const recovered = new Set(reconstructed.filter((r) => r.policy).map((r) => r.decisionId));
  const last = g.invocations[g.invocations.length - 1];
  return {
    id: first.id,
    callKey: first.callKey,
    agentId: first.agentId,
    toolName: first.toolName,
    shape: first.shape,
    firstAt: first.createdAt,
    lastAt: last.createdAt,
    invocations: g.invocations,
    outcome: g.outcome ? { ...g.outcome, confirmation: confirmationOf(g.outcome) } : null,
    failedCallbacks: g.invocations.filter((d) => d.passed === false).length,
    raisedCallbacks: g.invocations.filter((d) => d.passed === null).length,
    failClosed: g.invocations.some((d) => d.failClosed),
    blocked: g.outcome?.action === "BLOCK",
    reconstructed,
    // Only what the walk could not recover stays "cannot be told apart".
    diagnostics: indistinguishableInvocations(g.invocations.filter((d) => !recovered.has(d.id))),
  };
}

const sameResult = (a: GateInvocation, b: GateInvocation) => a.passed === b.passed && (a.message ?? null) === (b.message ?? null) && (a.callbackError ?? null) === (b.callbackError ?? null);

/**
 * The n-th invocation is the n-th policy of the walk — where the record order says which
 * invocation is n-th: two at the same created_at that arrived in different requests (or
 * with no arrival recorded) and returned different results could be either way round.
 */
export function reconstructEdges(invocations: readonly GateInvocation[]): ReconstructedEdge[] {
  const last = invocations[invocations.length - 1];
  // An evaluation that ended with a raise stopped early; otherwise all its callbacks ran.
  const r = reconstructInvocations(groundingOf(invocations[0]), invocations.length, last.passed !== null && !!last.outcome);
  if (!r.ok) return invocations.map((d) => ({ decisionId: d.id, policy: null, reason: r.reason }));
  const unordered = new Set<number>();
  for (let i = 1; i < invocations.length; i++) {
    const a = invocations[i - 1];
    const b = invocations[i];
    const sameRequest = a.arrival && b.arrival && a.arrival[0] === b.arrival[0] && a.arrival[1] !== null && b.arrival[1] !== null;
    if (a.ts === b.ts && !sameRequest && !sameResult(a, b)) unordered.add(i - 1).add(i);
  }
  return invocations.map((d, i) =>
    unordered.has(i)
      ? { decisionId: d.id, policy: null, reason: "another invocation has the same created_at and arrived separately: their order, and so their edges, cannot be told" }
      : { decisionId: d.id, policy: r.policies[i], reason: null },
  );
}

/** The gate's reasons name two confirmation results even when the field was not written. */
export function confirmationOf(outcome: Pick<GateOutcome, "reason" | "confirmation">): Confirmation | null {
  if (outcome.confirmation) return outcome.confirmation;
  const reason = (outcome.reason ?? "").trim().toLowerCase();
  if (reason === "confirmation required, no handler") return "no_handler";
  if (reason === "user declined") return "declined";
  if (reason.startsWith("confirmation handler raised")) return "handler_raised";
  return null;
}

export const indistinguishableMessage = (count: number) => `${count} invocations cannot be told apart: the context has no triggering edge`;

/**
 * Older-shape invocations of one call whose contexts are identical: the gate built the
 * context once and reused it for every edge, so nothing says which edge each one was.
 */
export function indistinguishableInvocations(invocations: readonly GateInvocation[]): IndistinguishableDiagnostic[] {
  const byContext = new Map<string, string[]>();
  for (const d of invocations) {
    if (d.shape !== "legacy") continue;
    const key = canonicalJson([d.callKey, d.context]);
    byContext.set(key, [...(byContext.get(key) ?? []), d.id]);
  }
  return [...byContext.values()]
    .filter((ids) => ids.length > 1)
    .map((ids) => ({ code: "indistinguishable_invocations", count: ids.length, decisionIds: ids, message: indistinguishableMessage(ids.length) }));
}

export interface PolicyTally {
  invocations: number;
  fired: number;
  /** Invocations whose callback fired the policy (passed: false, or true from an older callback). */
  /** Tool calls the gate blocked on which the policy fired. */
  blocks: number;
  failClosed: number;
}

/** Share of a policy's invocations that fired it; null when it was never invoked. */
export function fireRate(t: Pick<PolicyTally, "invocations" | "fired">): number | null {
  return t.invocations > 0 ? t.fired / t.invocations : null;
}
