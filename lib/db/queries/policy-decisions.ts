// Reads of stored policy decisions: filtered pages, the decisions around them (to complete
// their gate evaluations), per-policy figures and the values the filters can take.
import type { DbHandle } from "../client";
import type { Prisma, PolicyDecision } from "../generated/sqlite/client";
import { tryParseJson, type Json } from "../../records/json";
import type { GateInvocation, GateOutcome } from "../../analysis/policy-groups";

type Where = Prisma.PolicyDecisionWhereInput;

export interface PolicyDecisionFilters {
  agentId?: string;
  action?: "PASS" | "BLOCK" | "PENDING";
  policy?: string;
  edge?: { source: string; target: string } | "none";
  depth?: number;
  callKey?: string;
}

export interface PolicyDetail {
  name: string;
  requiresConfirmation: boolean | null;
  triggerCardinality: "single" | "multiple" | null;
  callback: string | null;
  confirmationMessage: string | null;
  metadata: Record<string, Json>;
}

export interface RecordedViolation {
  policy: string;
  requiresConfirmation: boolean | null;
  callbackResult: { passed: boolean; message: string | null } | null;
}

/** One stored decision, as grouping and the API read it. */
export interface StoredPolicyDecision extends GateInvocation {
  source: string;
  sourceId: string | null;
  toolCall: { toolName: string; callArgs: Json[]; callKwargs: Record<string, Json> };
  policy: PolicyDetail | null;
  /** The callback's return value as recorded: a bool (older releases), {passed, message}, or null (raised). */
  returned: Json;
  callbackError: string | null;
  /** The older gate's PENDING message and the newer PolicyResult's violations, from the recorded decision. */
  confirmationMessage: string | null;
  violations: RecordedViolation[] | null;
}

function whereOf(f: PolicyDecisionFilters, opts: { withAction: boolean }): Where {
  const and: Where[] = [];
  if (f.agentId !== undefined) and.push({ agentId: f.agentId });
  if (f.action !== undefined && opts.withAction) and.push({ action: f.action });
  if (f.policy !== undefined) and.push({ policyName: f.policy });
  if (f.edge === "none") and.push({ shape: "legacy" });
  else if (f.edge) and.push({ edgeSource: f.edge.source, edgeTarget: f.edge.target });
  if (f.depth !== undefined) and.push({ OR: [{ sourceDepth: f.depth }, { targetDepth: f.depth }] });
  if (f.callKey !== undefined) and.push({ callKey: f.callKey });
  return { AND: and };
}

/** A page of matching decisions, newest first (ts, then id), and whether more follow. */
export async function findPolicyDecisions(
  { db }: DbHandle,
  filters: PolicyDecisionFilters,
  page: { limit: number; before?: { ts: number; id: string } },
): Promise<{ decisions: StoredPolicyDecision[]; more: boolean }> {
  const where = whereOf(filters, { withAction: true });
  if (page.before) {
    const { ts, id } = page.before;
    (where.AND as Where[]).push({ OR: [{ ts: { lt: ts } }, { ts, id: { lt: id } }] });
  }
  const rows = await db.policyDecision.findMany({ where, orderBy: [{ ts: "desc" }, { id: "desc" }], take: page.limit + 1 });
  return { decisions: rows.slice(0, page.limit).map(toStored), more: rows.length > page.limit };
}

/** Every decision of these tool calls between two instants (µs), oldest first. */
export async function findDecisionsOfCalls({ db }: DbHandle, callKeys: string[], fromTs: number, toTs: number, cap = 10_000): Promise<StoredPolicyDecision[]> {
  if (callKeys.length === 0) return [];
  const rows = await db.policyDecision.findMany({
    where: { callKey: { in: callKeys }, ts: { gte: fromTs, lte: toTs } },
    orderBy: [{ ts: "asc" }, { id: "asc" }],
    take: cap,
  });
  return rows.map(toStored);
}

export interface PolicyTallyRow {
  policy: string | null;
  invocations: number;
  fired: number;
  blocks: number;
  failClosed: number;
  lastFired: string | null;
}

/** Per policy (null: older shape), over the decisions matching the filters except `action`. */
export async function policyTallies({ db }: DbHandle, filters: PolicyDecisionFilters): Promise<PolicyTallyRow[]> {
  const where = whereOf(filters, { withAction: false });
  const [all, fired, blocked, closed] = await Promise.all([
    db.policyDecision.groupBy({ by: ["policyName"], where, _count: { _all: true }, _max: { createdAt: true } }),
    db.policyDecision.groupBy({ by: ["policyName"], where: { AND: [where, { passed: false }] }, _count: { _all: true } }),
    // A policy fires at most once per edge of one evaluation: its fired invocations of
    // blocked evaluations are the tool calls blocked while it fired.
    db.policyDecision.groupBy({ by: ["policyName"], where: { AND: [where, { passed: false, action: "BLOCK" }] }, _count: { _all: true } }),
    db.policyDecision.groupBy({ by: ["policyName"], where: { AND: [where, { failClosed: true }] }, _count: { _all: true } }),
  ]);
  const count = (rows: { policyName: string | null; _count: { _all: number } }[], name: string | null) => rows.find((r) => r.policyName === name)?._count._all ?? 0;
  return all
    .map((r) => ({
      policy: r.policyName,
      invocations: r._count._all,
      fired: count(fired, r.policyName),
      blocks: count(blocked, r.policyName),
      failClosed: count(closed, r.policyName),
      lastFired: r._max.createdAt ?? null,
    }))
    .sort((a, b) => b.invocations - a.invocations || String(a.policy).localeCompare(String(b.policy)));
}

/**
 * Tool calls the gate blocked, among the decisions matching the filters except `action`:
 * one per blocked evaluation (the row ingest marks blocks_call), the figure the agents
 * list and the overview show. With a policy, edge or depth filter, the blocked calls on
 * which such an invocation fired.
 */
export async function blockedCalls({ db }: DbHandle, filters: PolicyDecisionFilters): Promise<number> {
  const where = whereOf(filters, { withAction: false });
  const perInvocation = filters.policy !== undefined || filters.edge !== undefined || filters.depth !== undefined;
  return db.policyDecision.count({ where: { AND: [where, perInvocation ? { passed: false, action: "BLOCK" } : { blocksCall: true }] } });
}

/** The values the page's filters offer. */
export async function policyFacets({ db }: DbHandle) {
  const [agents, policies, edges, legacy] = await Promise.all([
    db.policyDecision.groupBy({ by: ["agentId"], orderBy: { agentId: "asc" } }),
    db.policyDecision.groupBy({ by: ["policyName"], where: { policyName: { not: null } }, orderBy: { policyName: "asc" } }),
    db.policyDecision.groupBy({ by: ["edgeSource", "edgeTarget"], where: { shape: "edge" }, orderBy: [{ edgeSource: "asc" }, { edgeTarget: "asc" }] }),
    db.policyDecision.count({ where: { shape: "legacy" } }),
  ]);
  return {
    agents: agents.map((a) => a.agentId),
    policies: policies.map((p) => p.policyName as string),
    edges: edges.map((e) => ({ source: e.edgeSource ?? "", target: e.edgeTarget ?? "" })),
    hasOlderShape: legacy > 0,
  };
}

const asObject = (v: Json | undefined): Record<string, Json> => (v && typeof v === "object" && !Array.isArray(v) ? v : {});
const asString = (v: Json | undefined): string | null => (typeof v === "string" ? v : null);

function violationOf(v: Json): RecordedViolation {
  const policy = asObject(asObject(v).policy);
  const result = asObject(v).callback_result;
  const r = result && typeof result === "object" && !Array.isArray(result) && typeof result.passed === "boolean" ? { passed: result.passed, message: asString(result.message) } : null;
  return { policy: asString(policy.name) ?? "?", requiresConfirmation: typeof policy.requires_confirmation === "boolean" ? policy.requires_confirmation : null, callbackResult: r };
}

function toStored(r: PolicyDecision): StoredPolicyDecision {
  const context = tryParseJson(r.context)?.value ?? {};
  const call = r.shape === "edge" ? asObject(asObject(context).tool_call) : asObject(context);
  const policy = r.shape === "edge" ? asObject(asObject(context).policy) : null;
  const outcome: GateOutcome | null =
    r.action === "PASS" || r.action === "BLOCK" || r.action === "PENDING"
      ? { action: r.action, reason: r.reason, confirmation: (r.confirmation as GateOutcome["confirmation"]) ?? null }
      : null;
  const decision = r.decision ? asObject(tryParseJson(r.decision)?.value ?? null) : {};
  return {
    id: r.id,
    source: r.source,
    sourceId: r.sourceId,
    agentId: r.agentId,
    ts: Number(r.ts),
    createdAt: r.createdAt,
    toolName: r.toolName,
    callKey: r.callKey,
    shape: r.shape === "edge" ? "edge" : "legacy",
    edge: r.shape === "edge" ? { sourceName: r.edgeSource ?? "", targetName: r.edgeTarget ?? "", sourceDepth: r.sourceDepth, targetDepth: r.targetDepth } : null,
    policyName: r.policyName,
    passed: r.passed,
    message: r.message,
    failClosed: r.failClosed,
    callbackError: r.callbackError,
    arrival: [Number(r.ingestedAt), r.batchIndex],
    outcome,
    context,
    returned: tryParseJson(r.callbackResult)?.value ?? null,
    confirmationMessage: asString(decision.confirmation_message),
    violations: Array.isArray(decision.violations) ? decision.violations.map(violationOf) : null,
    toolCall: { toolName: r.toolName, callArgs: Array.isArray(call.call_args) ? call.call_args : [], callKwargs: asObject(call.call_kwargs) },
    policy: policy
      ? {
          name: r.policyName ?? asString(policy.name) ?? "",
          requiresConfirmation: typeof policy.requires_confirmation === "boolean" ? policy.requires_confirmation : null,
          triggerCardinality: policy.trigger_cardinality === "single" || policy.trigger_cardinality === "multiple" ? policy.trigger_cardinality : null,
          callback: asString(policy.callback),
          confirmationMessage: asString(policy.confirmation_message),
          metadata: asObject(policy.metadata),
        }
      : null,
  };
}
