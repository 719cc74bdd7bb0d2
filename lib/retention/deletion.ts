// Deleting records (retention, `verdict delete`): agent by agent, table by table, in batches
// of at most BATCH rows, each batch its own short transaction, so ingest of the same agent
// waits at most one batch (PostgreSQL: the agent's advisory lock, as ingest takes it; SQLite:
// one writer, and the batches take turns with ingest's transactions).
// Each batch, in its transaction: re-reads its candidates, keeps what is held (heldRecordIds),
// deletes the rest, writes their tombstones, then repairs what rested on them — leak links
// (relinkLeaks), the blocked-call marks of their gate evaluations (refreshBlockedCalls),
// Verdict's outcome of the agent's later handoffs (refreshVerdictOutcomes) — and applies
// the exact change of the agent's counts, so agent_stats always equals a recount.
// The statements are lib/db's (queries/delete-records.ts); what runs when is decided here.
import { randomUUID } from "node:crypto";
import type { ClientHandle, DbHandle } from "../db/client";
import { writeTransaction } from "../db/transaction";
import { bool } from "../db/sql";
import { lockAgents, relinkLeaks, type LeakScope } from "../db/queries/leaks";
import { StatsDeltas } from "../ingest/stats";
import {
  agentsOfSource, agentsWithRecordsBefore, applyDeletionStats, candidatePage, deleteRecords, finishDeletionLog, insertDeletionLog,
  logDeletionBatch, nextToolCallTs, unparentNestedCalls, type CandidateRecord,
} from "../db/queries/delete-records";
import { writeTombstones } from "../db/queries/tombstones";
import { refreshBlockedCalls } from "../ingest/blocked-calls";
import { refreshVerdictOutcomes } from "../ingest/outcomes";
import { ensureCurrentHolds, heldRecordIds, loadHeldState, refreshHeldState, type HeldState } from "./held-records";
import type { RecordTable } from "../records/record-tables";

export const DEFAULT_BATCH = 5000;

/** Cut-offs are µs since the epoch (the records' `ts`): rows strictly older go. null: keep forever. */
export interface RetentionCutoffs {
  default: number | null;
  sources: Record<string, number | null>;
}

export type DeletionScope =
  | { kind: "retention"; cutoffs: RetentionCutoffs }
  | { kind: "agent"; agent_id: string }
  | { kind: "source"; source: string };

export interface DeletionCounts {
  intercepts: number;
  policy_decisions: number;
  handoffs: number;
}

export interface DeletionResult {
  id: string;
  counts: DeletionCounts;
  /** records in scope kept because they are on hold */
  held: number;
  agents: number;
}

export interface DeletionOptions {
  scope: DeletionScope;
  actor: string;
  reason: string;
  batchSize?: number;
  now?: number;
  /**
   * The log row is written with the first batch that deletes something (in its transaction),
   * so a pass that deletes nothing leaves no row and none is ever seen half-done (retention
   * passes). Otherwise it is written first, so even a request that deleted nothing is logged.
   */
  logOnlyDeletions?: boolean;
  /** called after each committed batch (progress; tests pace against it) */
  onBatch?: (done: DeletionCounts) => void | Promise<void>;
}

const TABLE_ORDER: RecordTable[] = ["handoffs", "policy_decisions", "intercepts"];

/** The newest cut-off any source has: nothing at or after it goes. */
function maxCutoff(c: RetentionCutoffs): number | null {
  const all = [c.default, ...Object.values(c.sources)].filter((x): x is number => x !== null);
  return all.length ? Math.max(...all) : null;
}

export function cutoffOf(c: RetentionCutoffs, source: string): number | null {
  return Object.prototype.hasOwnProperty.call(c.sources, source) ? c.sources[source] : c.default;
}

const inTransaction = <T>(h: ClientHandle, fn: (tx: DbHandle) => Promise<T>): Promise<T> => writeTransaction(h, fn, { timeout: 600_000 });

/** The agents whose records the scope may reach. */
async function agentsInScope(h: ClientHandle, scope: DeletionScope): Promise<string[]> {
  if (scope.kind === "agent") return [scope.agent_id];
  if (scope.kind === "source") return agentsOfSource(h, scope.source);
  const before = maxCutoff(scope.cutoffs);
  if (before === null) return [];
  return agentsWithRecordsBefore(h, before);
}

/** The candidates' filter of a scope beyond the agent: its source, or the newest cut-off. */
function candidatesOf(scope: DeletionScope): { source?: string; before?: number | null } {
  if (scope.kind === "source") return { source: scope.source };
  if (scope.kind === "retention") return { before: maxCutoff(scope.cutoffs) };
  return {};
}

/** Deletes one batch's rows of one table and repairs what rested on them; returns the stats change. */
async function deleteRows(h: DbHandle, table: RecordTable, rows: CandidateRecord[], stats: StatsDeltas): Promise<void> {
  await deleteRecords(h, table, rows.map((r) => r.id));
  if (table === "handoffs") {
    for (const r of rows) {
      stats.bump(r.agent_id, "handoffs", -1);
      if (r.evaluator_outcome === "CAUGHT" || r.verdict_outcome === "CAUGHT") stats.bump(r.agent_id, "caught", -1);
    }
    return;
  }
  if (table === "policy_decisions") {
    for (const r of rows) {
      stats.bump(r.agent_id, "policy_decisions", -1);
      if (bool(r.blocks_call)) stats.bump(r.agent_id, "blocks", -1);
    }
    // The decisions left of a gate evaluation may now be its first invocation (or not blocked).
    for (const [agent, by] of await refreshBlockedCalls(h, rows.map((r) => ({ callKey: String(r.call_key), ts: r.ts })))) stats.bump(agent, "blocks", by);
    return;
  }
  const scopes = new Map<string, LeakScope>();
  const refs = new Set<string>();
  for (const r of rows) {
    if (r.kind === "filler") continue;
    stats.bump(r.agent_id, "intercepts", -1);
    if (r.kind === "llm_call") stats.bump(r.agent_id, "llm_calls", -1);
    else if (r.kind === "tool_call") stats.bump(r.agent_id, "tool_calls", -1);
    else if (r.kind === "untagged_call") stats.bump(r.agent_id, "untagged_calls", -1);
    if (bool(r.is_leak)) stats.bump(r.agent_id, "leaks", -1);
    if (r.kind !== "tool_call") continue;
    // LLM calls that leaked this tool's tag (or ran inside it) now leak the tool call before
    // it, or nothing: their (agent, tag) from this row on is relinked.
    const key = `${r.agent_id}\u0000${String(r.action_name)}`;
    const s = scopes.get(key);
    if (!s) scopes.set(key, { agentId: r.agent_id, actionName: String(r.action_name), fromTs: r.ts });
    else s.fromTs = Math.min(s.fromTs, r.ts);
    if (r.call_ref !== null && r.call_ref !== undefined) refs.add(String(r.call_ref));
  }
  const tools = rows.filter((r) => r.kind === "tool_call");
  for (const s of scopes.values()) {
    const ids = tools.filter((t) => t.action_name === s.actionName).map((t) => t.id);
    // An LLM call that ran inside a deleted tool span keeps no dangling parent: it carries the
    // tool's tag and agent, so it is relinked by its tag (or unlinked) with its scope.
    const nested = await unparentNestedCalls(h, s.agentId, s.actionName, s.fromTs, ids);
    // Only LLM calls up to the next tool call with the tag that is left can have linked a deleted
    // one (later ones link to that tool call or a later one): the scope ends there, not at the
    // agent's last row (which made every batch re-check the rest of the agent's history).
    const lastDeleted = Math.max(...tools.filter((t) => t.action_name === s.actionName).map((t) => t.ts));
    const next = await nextToolCallTs(h, s.agentId, s.actionName, lastDeleted);
    const nestedMax = nested.length ? Math.max(...nested) : null;
    s.toTs = next !== null ? Math.max(next, nestedMax ?? 0) : null;
  }
  for (const [agent, by] of await relinkLeaks(h, [...scopes.values()], [...refs])) stats.bump(agent, "leaks", by);
  // Handoffs at or after a deleted row may have rested on it (held ones never did).
  const caught = await refreshVerdictOutcomes(h, [], rows.filter((r) => r.kind !== "filler").map((r) => ({ agentId: r.agent_id, ts: r.ts })));
  for (const [agent, by] of caught) stats.bump(agent, "caught", by);
}

/** Runs a deletion; see DeletionOptions.logOnlyDeletions for when its log row is written. */
export async function runDeletion(h: ClientHandle, opts: DeletionOptions): Promise<DeletionResult> {
  const id = randomUUID();
  const batch = opts.batchSize ?? DEFAULT_BATCH;
  const at = opts.now ?? Date.now();
  const insertLog = (tx: DbHandle, held: number) => insertDeletionLog(tx, { id, at, actor: opts.actor, reason: opts.reason, scope: opts.scope, held });
  let logged = false;
  if (!opts.logOnlyDeletions) {
    await insertLog(h, 0);
    logged = true;
  }
  const counts: DeletionCounts = { intercepts: 0, policy_decisions: 0, handoffs: 0 };
  let held = 0;
  let agentsTouched = 0;
  try {
    const agents = await agentsInScope(h, opts.scope);
    const only = candidatesOf(opts.scope);
    let state: HeldState | undefined;
    let refreshedAt = 0;
    for (const agent of agents) {
      // Holds placed and handoffs turned CAUGHT meanwhile count too (looked for at most every 10 s:
      // a refresh reads every held handoff's id).
      if (!state) state = await loadHeldState(h);
      else if (Date.now() - refreshedAt > 10_000) await refreshHeldState(h, state);
      refreshedAt = Date.now();
      let touched = false;
      // A data-subject deletion sweeps each table again while the last sweep deleted something:
      // a record of the agent that arrived meanwhile with an earlier time (behind the cursor)
      // goes too. Retention needs no second sweep: the next pass finds it.
      const sweeps = opts.scope.kind === "retention" ? 1 : 5;
      for (let sweep = 0, again = true; sweep < sweeps && again; sweep++) {
        again = false;
        for (const table of TABLE_ORDER) {
          let after: { ts: number; id: string } | null = null;
          for (;;) {
            const done = await inTransaction(h, async (tx) => {
              await lockAgents(tx, [agent]);
              await ensureCurrentHolds(tx, state!);
              const page = await candidatePage(tx, table, agent, only, after, batch);
              if (page.length === 0) return null;
              const last = page[page.length - 1];
              const inScope = opts.scope.kind === "retention"
                ? page.filter((r) => { const c = cutoffOf((opts.scope as { cutoffs: RetentionCutoffs }).cutoffs, r.source); return c !== null && r.ts < c; })
                : page;
              const keep = heldRecordIds(state!, table, inScope);
              const gone = inScope.filter((r) => !keep.has(r.id));
              const kept = sweep === 0 ? keep.size : 0; // a held record is counted once, not once per sweep
              let wroteLog = false;
              if (gone.length) {
                if (!logged) {
                  await insertLog(tx, held);
                  wroteLog = true;
                }
                await writeTombstones(tx, table, gone.map((r) => r.id), { deletionId: id, actor: opts.actor, reason: opts.reason, at });
                const stats = new StatsDeltas();
                await deleteRows(tx, table, gone, stats);
                await applyDeletionStats(tx, stats.list());
              }
              if ((logged || wroteLog) && (gone.length || kept)) await logDeletionBatch(tx, id, table, agent, gone, kept);
              return { last: { ts: last.ts, id: last.id }, gone: gone.length, kept, full: page.length === batch, wroteLog };
            });
            if (!done) break;
            if (done.wroteLog) logged = true;
            after = done.last;
            counts[table] += done.gone;
            held += done.kept;
            if (done.gone) touched = again = true;
            if (done.gone) await opts.onBatch?.({ ...counts });
            // Let waiting ingest transactions in between batches.
            await new Promise((r) => setImmediate(r));
            if (!done.full) break;
          }
        }
      }
      if (touched) agentsTouched++;
    }
    if (logged) await finishDeletionLog(h, id, Date.now());
    return { id, counts, held, agents: agentsTouched };
  } catch (e) {
    if (logged) await finishDeletionLog(h, id, Date.now(), (e as Error).message.slice(0, 500)).catch(() => {});
    throw e;
  }
}
