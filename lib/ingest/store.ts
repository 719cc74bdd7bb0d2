// Stores one request's valid records in one transaction: after it commits they are all
// durable; if it fails none are, so the client's retry is safe. Within it, what the records
// change: leak links, Verdict's outcome of handoffs, blocked-call marks, the agents' counts,
// the alert outbox and the evidence chain. The SQL is lib/db's; the order of the statements
// and what they carry is decided here (every statement of a batch runs in this transaction,
// in this order — the benchmark measures exactly this path).
import { type ClientHandle, type DbHandle } from "../db/client";
import { writeTransaction } from "../db/transaction";
import {
  CHAIN_COLUMNS, HANDOFF_COLUMNS, INTERCEPT_COLUMNS, POLICY_COLUMNS, handoffValues, interceptValues, policyDecisionValues,
  type Batch, type InterceptRow,
} from "../db/queries/ingest";
import { classifyCall, parseLlmHostList } from "../analysis/classify-call";
import { causeCategory } from "../analysis/cause-category";
import { storedLlmHosts, storedLlmHostsOn } from "../db/queries/settings";
import { insertRows } from "../db/queries/insert";
import { linkParentTools, lockAgents, relinkLeaks, type LeakScope, type LinkChange } from "../db/queries/leaks";
import { refreshVerdictOutcomes, type OutcomeChange } from "./outcomes";
import { alertKindsWanted, insertAlertEvents, type AlertEventKind, type NewAlertEvent } from "../db/queries/alerts";
import { applyAgentStats } from "../db/queries/agent-stats";
import { statsOfNewRows } from "./stats";
import { refreshBlockedCalls, type BlockedCall } from "./blocked-calls";
import { appendBatch, newBatchId, type Leaf } from "../db/queries/evidence";
import { recordHashOfValues, type RecordTable } from "../evidence/canonical";
import { ensureInterceptPartitions } from "./partitions";

export async function storeBatch(h: ClientHandle, batch: Batch): Promise<number> {
  const { db, dialect } = h;
  // Which alert events to write with the records (none without a rule: nothing more to do).
  const alertKinds = await alertKindsWanted(h);
  // PostgreSQL: the month partition of each record's time exists before the rows go in (its own
  // short statement, before the transaction; nothing to do when every month is known).
  await ensureInterceptPartitions(h, batch.intercepts);
  // SQLite: Prisma's transaction, with the rows written on its connection (insertRows).
  // PostgreSQL: a transaction on the plain driver, from the pool Prisma shares.
  return writeTransaction(h, (tx) => storeInTransaction(tx, batch, alertKinds), { timeout: 120_000 });
}

async function storeInTransaction(tx: DbHandle, batch: Batch, alertKinds: ReadonlySet<AlertEventKind>): Promise<number> {
  const { dialect } = tx;
  // Every agent of the batch: its agent_stats row and its leak links change only under this lock.
  await lockAgents(tx, [...batch.intercepts, ...batch.policyDecisions, ...batch.handoffs].map((r) => r.agentId));
  // Classified with the list stored with the data, whatever the sender's environment said.
  if (batch.intercepts.length) {
    const stored = tx.sqlite ? storedLlmHostsOn(tx.sqlite) : await storedLlmHosts(tx, { share: true });
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
  const ints = await insertRows(tx, "intercepts", [...INTERCEPT_COLUMNS, ...CHAIN_COLUMNS], batch.intercepts.map((r) => interceptValues(r, dialect)).map(chained("intercepts", INTERCEPT_COLUMNS, batch.intercepts)));
  const pols = await insertRows(tx, "policy_decisions", [...POLICY_COLUMNS, ...CHAIN_COLUMNS], batch.policyDecisions.map((r) => policyDecisionValues(r, dialect)).map(chained("policy_decisions", POLICY_COLUMNS, batch.policyDecisions)));
  const hofs = await insertRows(tx, "handoffs", [...HANDOFF_COLUMNS, ...CHAIN_COLUMNS], batch.handoffs.map(handoffValues).map(chained("handoffs", HANDOFF_COLUMNS, batch.handoffs)));
  const newIntercepts = batch.intercepts.filter((r) => ints.has(r.id));
  await linkParentTools(tx, newIntercepts);
  const newDecisions = batch.policyDecisions.filter((r) => pols.has(r.id));
  const stats = statsOfNewRows({
    intercepts: newIntercepts,
    policyDecisions: newDecisions,
    handoffs: batch.handoffs.filter((r) => hofs.has(r.id)),
  });
  const alerting = alertKinds.size > 0;
  const links: LinkChange[] | undefined = alertKinds.has("leak") ? [] : undefined;
  const outcomes: OutcomeChange[] | undefined = alertKinds.has("caught") || alertKinds.has("disagreement") ? [] : undefined;
  for (const [agentId, by] of await relinkLeaks(tx, leakScopes(newIntercepts), leakCallRefs(newIntercepts), links)) stats.bump(agentId, "leaks", by);
  for (const [agentId, by] of await refreshVerdictOutcomes(tx, [...hofs], newIntercepts, outcomes)) stats.bump(agentId, "caught", by);
  // Tool calls blocked: the new decisions may start, complete or split gate evaluations.
  const blocked: BlockedCall[] | undefined = alertKinds.has("block") ? [] : undefined;
  for (const [agentId, by] of await refreshBlockedCalls(tx, newDecisions, blocked)) stats.bump(agentId, "blocks", by);
  await applyAgentStats(tx, stats.list());
  // The outbox: committed with the records that cause it, or not at all.
  if (alerting) {
    const events = alertEventsOf(alertKinds, newIntercepts, links ?? [], blocked ?? [], outcomes ?? []);
    await insertAlertEvents(tx, events, Date.now());
  }
  // Last, so the chain lock (PostgreSQL) is held only from here to COMMIT.
  const leaves: Leaf[] = [];
  for (const ids of [ints, pols, hofs]) for (const id of ids) leaves.push(hashes.get(id)!);
  await appendBatch(tx, batchId, leaves);
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
