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
// cannot apply: two evaluations of the same call within the gap merge (and the
// indistinguishable-invocations diagnostic says why nothing better can be done).
import { canonicalJson, type Json } from "../records/json";

/** Two seconds: the invocations of one evaluation are milliseconds apart; a retry is not. */
export const EVALUATION_GAP_US = 2_000_000;

export type GateAction = "PASS" | "BLOCK";
export type Confirmation = "granted" | "declined" | "no_handler";

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
  passed: boolean;
  message: string | null;
  failClosed: boolean;
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
  failClosed: boolean;
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
}

function continues<T extends GateInvocation>(open: Open<T>, d: T): boolean {
  const first = open.invocations[0];
  if (d.ts - open.lastTs > EVALUATION_GAP_US) return false;
  if (d.shape !== first.shape) return false;
  if (open.outcome && d.outcome && !sameOutcome(open.outcome, d.outcome)) return false;
  return d.shape === "legacy" || !open.edges.has(edgeKey(d));
}

/** Groups decisions (any order) into gate evaluations, oldest first. */
export function groupGateEvaluations<T extends GateInvocation>(decisions: readonly T[]): GateEvaluation<T>[] {
  const sorted = [...decisions].sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const groups: Open<T>[] = [];
  const openByCall = new Map<string, Open<T>>();
  for (const d of sorted) {
    let open = openByCall.get(d.callKey);
    if (!open || !continues(open, d)) {
      open = { invocations: [], lastTs: d.ts, outcome: null, edges: new Set() };
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
    failedCallbacks: g.invocations.filter((d) => !d.passed).length,
    failClosed: g.invocations.some((d) => d.failClosed),
    diagnostics: indistinguishableInvocations(g.invocations),
  };
}

/** The gate's reasons name two confirmation results even when the field was not written. */
export function confirmationOf(outcome: Pick<GateOutcome, "reason" | "confirmation">): Confirmation | null {
  if (outcome.confirmation) return outcome.confirmation;
  const reason = (outcome.reason ?? "").trim().toLowerCase();
  if (reason === "confirmation required, no handler") return "no_handler";
  if (reason === "user declined") return "declined";
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
  /** Invocations whose callback returned passed: false (the policy voted to block). */
  blocks: number;
  failClosed: number;
}

/** Share of a policy's invocations that voted to block; null when it never fired. */
export function blockRate(t: Pick<PolicyTally, "invocations" | "blocks">): number | null {
  return t.invocations > 0 ? t.blocks / t.invocations : null;
}
