// Stores one request's valid records in one transaction: after it commits they are all
// durable; if it fails none are, so the client's retry is safe.
import { postgresPoolOf, sqliteConnectionOf, type Db, type Tx } from "../client";
import { withPostgresTransaction } from "../pg-transaction";
import type { Dialect } from "../config";
import type { NormalizedIntercept } from "../../records/intercept";
import type { NormalizedPolicyDecision } from "../../records/policy-decision";
import type { NormalizedHandoff } from "../../records/handoff";
import { classifyCall, parseLlmHostList, type CallKind } from "../../analysis/classify-call";
import { storedLlmHosts, storedLlmHostsOn } from "./settings";
import { insertRows } from "./insert";
import { linkParentTools, lockAgents, relinkLeaks, type LeakScope, type LinkChange } from "./leaks";
import { refreshVerdictOutcomes, type OutcomeChange } from "./handoffs";
import { alertKindsWanted, insertAlertEvents, type AlertEventKind, type NewAlertEvent } from "./alerts";
import { causeCategory } from "../../analysis/cause-category";
import { applyAgentStats, statsOfNewRows } from "./agent-stats";
import { refreshBlockedCalls, type BlockedCall } from "./policy-blocks";
import { appendBatch, newBatchId, type Leaf } from "./evidence";
import { recordHashOfValues, type RecordTable } from "../../evidence/canonical";

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
const CHAIN_COLUMNS = ["record_hash", "batch_id", "batch_pos"] as const;
const POLICY_COLUMNS = [
  "id", "source", "source_id", "dedupe_key", "agent_id", "created_at", "ts", "shape", "tool_name", "call_key",
  "edge_source", "edge_target", "source_depth", "target_depth", "policy_name", "passed", "message", "fail_closed",
  "callback_error", "batch_index", "action", "reason", "confirmation", "context", "callback_result", "decision", "extra", "ingested_at",
] as const;
const HANDOFF_COLUMNS = [
  "id", "source", "source_id", "dedupe_key", "agent_id", "created_at", "ts", "generation", "run_id", "task",
  "claim_count", "payload", "evaluation", "evaluator_outcome", "extra", "ingested_at",
] as const;

// better-sqlite3 binds no booleans.
const boolParam = (dialect: Dialect) => (v: boolean | null) => (v === null ? null : dialect === "sqlite" ? (v ? 1 : 0) : v);

/** An intercept row's values in INTERCEPT_COLUMNS order (also used by the benchmark's raw baseline). */
export function interceptValues(r: InterceptRow, dialect: Dialect): unknown[] {
  return [
    r.id, r.source, r.sourceId, r.dedupeKey, r.generation, r.agentId, r.actionName, r.kind, r.llmProvider,
    r.sourceUrl, r.method, r.host, r.path, r.requestPayload, r.rawResponse, r.responseHash, r.createdAt, r.ts,
    r.callRef, r.runId, r.interceptIndex, boolParam(dialect)(false), r.extra, r.ingestedAt,
  ];
}

export async function storeBatch(db: Db, dialect: Dialect, batch: Batch): Promise<number> {
  // Which alert events to write with the records (none without a rule: nothing more to do).
  const alertKinds = await alertKindsWanted(db, dialect);
  // SQLite: Prisma's transaction, with the rows written on its connection (insertRows).
  // PostgreSQL: a transaction on the plain driver, from the pool Prisma shares.
  const pool = dialect === "postgresql" ? postgresPoolOf(db) : undefined;
  if (pool) return withPostgresTransaction(pool, (tx) => storeInTransaction(db, tx, dialect, batch, alertKinds));
  return db.$transaction((tx: Tx) => storeInTransaction(db, tx, dialect, batch, alertKinds), { maxWait: 60_000, timeout: 120_000 });
}

async function storeInTransaction(db: Db, tx: Tx, dialect: Dialect, batch: Batch, alertKinds: ReadonlySet<AlertEventKind>): Promise<number> {
  const b = boolParam(dialect);
  // Every agent of the batch: its agent_stats row and its leak links change only under this lock.
  await lockAgents(tx, dialect, [...batch.intercepts, ...batch.policyDecisions, ...batch.handoffs].map((r) => r.agentId));
  // Known only once the client has connected, which $transaction has done by now.
  const conn = dialect === "sqlite" ? sqliteConnectionOf(db) : undefined;
  // Classified with the list stored with the data, whatever the sender's environment said.
  if (batch.intercepts.length) {
    const stored = conn ? storedLlmHostsOn(conn) : await storedLlmHosts(tx, dialect, { share: true });
    if (stored !== batch.llmHosts) reclassifyRows(batch.intercepts, stored);
  }
  // Each record's hash of its canonical stored form, and its position in this transaction's batch.
  const batchId = newBatchId();
  let pos = 0;
  const hashes = new Map<string, Leaf>();
  const chained = (table: RecordTable, columns: readonly string[], rows: { recordHash?: string }[]) => (values: unknown[], i: number): unknown[] => {
    const h = rows[i].recordHash ?? recordHashOfValues(table, columns, values);
    const p = pos++;
    hashes.set(values[0] as string, [p, table, values[0] as string, h]);
    values.push(h, batchId, p);
    return values;
  };
  const ints = await insertRows(tx, dialect, "intercepts", [...INTERCEPT_COLUMNS, ...CHAIN_COLUMNS], batch.intercepts.map((r) => interceptValues(r, dialect)).map(chained("intercepts", INTERCEPT_COLUMNS, batch.intercepts)), conn);
  const pols = await insertRows(tx, dialect, "policy_decisions", [...POLICY_COLUMNS, ...CHAIN_COLUMNS], batch.policyDecisions.map((r) => [
    r.id, r.source, r.sourceId, r.dedupeKey, r.agentId, r.createdAt, r.ts, r.shape, r.toolName, r.callKey,
    r.edgeSource, r.edgeTarget, r.sourceDepth, r.targetDepth, r.policyName, b(r.passed), r.message, b(r.failClosed),
    r.callbackError, r.batchIndex, r.action, r.reason, r.confirmation, r.context, r.callbackResult, r.decision, r.extra, r.ingestedAt,
  ]).map(chained("policy_decisions", POLICY_COLUMNS, batch.policyDecisions)), conn);
  const hofs = await insertRows(tx, dialect, "handoffs", [...HANDOFF_COLUMNS, ...CHAIN_COLUMNS], batch.handoffs.map((r) => [
    r.id, r.source, r.sourceId, r.dedupeKey, r.agentId, r.createdAt, r.ts, r.generation, r.runId, r.task,
    r.claimCount, r.payload, r.evaluation, r.evaluatorOutcome, r.extra, r.ingestedAt,
  ]).map(chained("handoffs", HANDOFF_COLUMNS, batch.handoffs)), conn);
  const newIntercepts = batch.intercepts.filter((r) => ints.has(r.id));
  await linkParentTools(tx, dialect, newIntercepts);
  const newDecisions = batch.policyDecisions.filter((r) => pols.has(r.id));
  const stats = statsOfNewRows({
    intercepts: newIntercepts,
    policyDecisions: newDecisions,
    handoffs: batch.handoffs.filter((r) => hofs.has(r.id)),
  });
  const alerting = alertKinds.size > 0;
  const links: LinkChange[] | undefined = alertKinds.has("leak") ? [] : undefined;
  const outcomes: OutcomeChange[] | undefined = alertKinds.has("caught") || alertKinds.has("disagreement") ? [] : undefined;
  for (const [agentId, by] of await relinkLeaks(tx, dialect, leakScopes(newIntercepts), leakCallRefs(newIntercepts), links)) stats.bump(agentId, "leaks", by);
  for (const [agentId, by] of await refreshVerdictOutcomes(tx, dialect, [...hofs], newIntercepts, outcomes)) stats.bump(agentId, "caught", by);
  // Tool calls blocked: the new decisions may start, complete or split gate evaluations.
  const blocked: BlockedCall[] | undefined = alertKinds.has("block") ? [] : undefined;
  for (const [agentId, by] of await refreshBlockedCalls(tx, dialect, newDecisions, conn, blocked)) stats.bump(agentId, "blocks", by);
  await applyAgentStats(tx, dialect, stats.list());
  // The outbox: committed with the records that cause it, or not at all.
  if (alerting) {
    const events = alertEventsOf(alertKinds, newIntercepts, links ?? [], blocked ?? [], outcomes ?? []);
    await insertAlertEvents(tx, dialect, events, Date.now(), conn);
  }
  // Last, so the chain lock (PostgreSQL) is held only from here to COMMIT.
  const leaves: Leaf[] = [];
  for (const ids of [ints, pols, hofs]) for (const id of ids) leaves.push(hashes.get(id)!);
  await appendBatch(tx, dialect, batchId, leaves, conn);
  return ints.size + pols.size + hofs.size;
}

/** Generation B: the call_refs of new tool and LLM calls, whose LLM rows may become (or stop being) leaks. */
export function leakCallRefs(rows: InterceptRow[]): string[] {
  const refs = new Set<string>();
  for (const r of rows) if (r.callRef !== null && (r.kind === "llm_call" || r.kind === "tool_call")) refs.add(r.callRef);
  return [...refs];
}

function reclassifyRows(rows: InterceptRow[], hostList: string): void {
  const hosts = parseLlmHostList(hostList);
  for (const r of rows) Object.assign(r, classifyCall(r, hosts));
}

/**
 * What alerts this batch raises: its new intercepts that are leaks, the tool calls it made
 * blocked (one per blocked call, however many of the gate's callbacks said BLOCK),
 * handoffs whose Verdict outcome became CAUGHT, and handoffs where the evaluator and Verdict
 * now disagree (and did not before).
 */
export function alertEventsOf(kinds: ReadonlySet<AlertEventKind>, newIntercepts: InterceptRow[], links: LinkChange[], blocked: BlockedCall[], outcomes: OutcomeChange[]): NewAlertEvent[] {
  const events: NewAlertEvent[] = [];
  if (kinds.has("leak") && links.length) {
    const byId = new Map(newIntercepts.map((r) => [r.id, r]));
    for (const l of links) {
      const r = byId.get(l.id);
      if (!r || l.tool_id === null) continue;
      events.push({ kind: "leak", agentId: r.agentId, source: r.source, category: null, recordId: r.id, detail: {
        path: `/intercepts/${encodeURIComponent(r.id)}`, ts: r.ts, created_at: r.createdAt, action_name: r.actionName, source_url: r.sourceUrl, tool_intercept_id: l.tool_id,
      } });
    }
  }
  if (kinds.has("block")) {
    for (const r of blocked) {
      events.push({ kind: "block", agentId: r.agentId, source: r.source, category: null, recordId: r.id, detail: {
        path: `/policy/calls/${encodeURIComponent(r.callKey)}`, ts: r.ts, created_at: r.createdAt, tool_name: r.toolName, policy_name: r.policyName, reason: r.reason,
      } });
    }
  }
  for (const o of outcomes) {
    const base = { path: `/handoffs/${encodeURIComponent(o.id)}`, ts: o.ts, created_at: o.createdAt, task: o.task, evaluator_outcome: o.evaluatorOutcome, verdict_outcome: o.outcome };
    if (kinds.has("caught") && o.outcome === "CAUGHT" && o.oldOutcome !== "CAUGHT") {
      const category = causeCategory(o.causes.map((code) => ({ code })));
      events.push({ kind: "caught", agentId: o.agentId, source: o.source, category, recordId: o.id, detail: { ...base, causes: o.causes } });
    }
    const disagrees = (v: string | null) => o.evaluatorOutcome !== null && v !== null && v !== o.evaluatorOutcome;
    if (kinds.has("disagreement") && disagrees(o.outcome) && !disagrees(o.oldOutcome)) {
      events.push({ kind: "disagreement", agentId: o.agentId, source: o.source, category: null, recordId: o.id, detail: base });
    }
  }
  return events;
}

/** The (agent, tag) pairs whose leak links may change, each from its earliest new row. */
export function leakScopes(rows: InterceptRow[]): LeakScope[] {
  const scopes = new Map<string, LeakScope>();
  for (const r of rows) {
    if (r.kind !== "llm_call" && r.kind !== "tool_call") continue;
    if (r.actionName === "unknown") continue;
    const key = `${r.agentId}\u0000${r.actionName}`;
    const s = scopes.get(key);
    if (!s) scopes.set(key, { agentId: r.agentId, actionName: r.actionName, fromTs: r.ts });
    else if (r.ts < s.fromTs) s.fromTs = r.ts;
  }
  return [...scopes.values()];
}
