// "blocks" counts tool calls the gate blocked, not callback invocations (one call blocked on
// three edges is one block). The gate evaluation a decision belongs to is found by the
// grouping rules of analysis/policy-groups.ts; the first invocation of each blocked
// evaluation carries blocks_call, so agent_stats and the pages count those rows.
//
// Evaluations never span a pause longer than EVALUATION_GAP_US between two decisions of one
// call, so the decisions a batch adds can only change the evaluations of their own "chain"
// (the run of that call's decisions with no longer pause): those chains are read whole,
// regrouped, and the marks that changed are written.
import type { Dialect } from "../config";
import type { SqliteConnection, Tx } from "../client";
import { bool, execute, num, query } from "../sql";
import { jsonRows } from "../dialect";
import { tryParseJson } from "../../records/json";
import { EVALUATION_GAP_US, groupGateEvaluations, type GateInvocation, type GateOutcome } from "../../analysis/policy-groups";

interface Scope {
  callKey: string;
  lo: number;
  hi: number;
}

type Row = GateInvocation & { blocksCall: boolean; source: string };

/** A tool call the gate now blocks (its first invocation's decision), for the alert outbox. */
export interface BlockedCall {
  id: string;
  agentId: string;
  source: string;
  callKey: string;
  ts: number;
  createdAt: string;
  toolName: string;
  policyName: string | null;
  reason: string | null;
}

/** Enough of each decision to group it (the context only for the older shape, which needs it). */
function chainSql(dialect: Dialect): string {
  const j = jsonRows(dialect, "s");
  const scopes = `SELECT ${j.col(0)} AS call_key, ${j.col(1, "bigint")} AS lo, ${j.col(2, "bigint")} AS hi FROM ${j.from}`;
  return `WITH scope AS MATERIALIZED (${scopes})
    SELECT p."id", p."agent_id", p."source", p."tool_name", p."created_at", p."ts", p."ingested_at", p."batch_index", p."call_key", p."shape", p."policy_name",
      p."edge_source", p."edge_target", p."passed", p."action", p."reason", p."confirmation", p."blocks_call",
      CASE WHEN p."shape" = 'legacy' THEN p."context" END AS "context"
    FROM scope s JOIN "policy_decisions" p ON p."call_key" = s.call_key AND p."ts" >= s.lo AND p."ts" <= s.hi`;
}

function toRow(r: Record<string, unknown>): Row {
  const action = r.action as string | null;
  const outcome: GateOutcome | null =
    action === "PASS" || action === "BLOCK" || action === "PENDING"
      ? { action, reason: (r.reason as string | null) ?? null, confirmation: (r.confirmation as GateOutcome["confirmation"]) ?? null }
      : null;
  const legacy = r.shape === "legacy";
  return {
    id: String(r.id),
    ts: num(r.ts),
    createdAt: String(r.created_at ?? ""),
    agentId: String(r.agent_id),
    source: String(r.source ?? ""),
    toolName: String(r.tool_name ?? ""),
    callKey: String(r.call_key),
    shape: legacy ? "legacy" : "edge",
    edge: legacy ? null : { sourceName: String(r.edge_source ?? ""), targetName: String(r.edge_target ?? ""), sourceDepth: null, targetDepth: null },
    policyName: (r.policy_name as string | null) ?? null,
    passed: r.passed === null || r.passed === undefined ? null : bool(r.passed),
    message: null,
    failClosed: false,
    arrival: [num(r.ingested_at), r.batch_index === null || r.batch_index === undefined ? null : num(r.batch_index)],
    outcome,
    context: legacy ? (tryParseJson(String(r.context ?? "null"))?.value ?? null) : null,
    blocksCall: bool(r.blocks_call),
  };
}

/** The whole chains around these decisions: widened until no stored decision of the call lies within the gap of a window's edge. */
async function readChains(tx: Tx, dialect: Dialect, decisions: readonly { callKey: string; ts: number }[], conn?: SqliteConnection): Promise<Row[]> {
  const scopes = new Map<string, Scope>();
  for (const d of decisions) {
    const s = scopes.get(d.callKey);
    if (!s) scopes.set(d.callKey, { callKey: d.callKey, lo: d.ts - EVALUATION_GAP_US, hi: d.ts + EVALUATION_GAP_US });
    else {
      s.lo = Math.min(s.lo, d.ts - EVALUATION_GAP_US);
      s.hi = Math.max(s.hi, d.ts + EVALUATION_GAP_US);
    }
  }
  let rows: Row[] = [];
  let pending = [...scopes.values()];
  const byKey = new Map<string, Row[]>();
  // Each round reads only the scopes that grew; a call decided every second for a day is one long chain, read in growing steps.
  for (let round = 0; pending.length > 0 && round < 64; round++) {
    const json = JSON.stringify(pending.map((s) => [s.callKey, s.lo, s.hi]));
    // On SQLite, the transaction's own connection: through Prisma this read was most of the step's time.
    const raw = conn ? (conn.prepare(chainSql(dialect)).all(json) as Record<string, unknown>[]) : await query<Record<string, unknown>>(tx, dialect, chainSql(dialect), [json]);
    const got = raw.map(toRow);
    for (const s of pending) byKey.set(s.callKey, []);
    for (const r of got) byKey.get(r.callKey)!.push(r);
    const next: Scope[] = [];
    for (const s of pending) {
      const inScope = byKey.get(s.callKey)!;
      if (inScope.length === 0) continue;
      let first = inScope[0].ts;
      let last = inScope[0].ts;
      for (const r of inScope) {
        if (r.ts < first) first = r.ts;
        if (r.ts > last) last = r.ts;
      }
      const grown = { ...s };
      // The window must reach a gap past its outermost rows (doubling, so a long chain costs few rounds).
      if (first - EVALUATION_GAP_US < s.lo) grown.lo = Math.min(first - EVALUATION_GAP_US, s.lo - (s.hi - s.lo));
      if (last + EVALUATION_GAP_US > s.hi) grown.hi = Math.max(last + EVALUATION_GAP_US, s.hi + (s.hi - s.lo));
      if (grown.lo !== s.lo || grown.hi !== s.hi) {
        scopes.set(s.callKey, grown);
        next.push(grown);
      }
    }
    pending = next;
  }
  rows = [...byKey.values()].flat();
  return rows;
}

/** Every decision of these calls (for a full recount). */
export async function readDecisionsOfCalls(tx: Tx, dialect: Dialect, callKeys: string[]): Promise<Row[]> {
  const json = JSON.stringify(callKeys.map((k) => [k, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]));
  return (await query<Record<string, unknown>>(tx, dialect, chainSql(dialect), [json])).map(toRow);
}

/** Which decisions should carry blocks_call: the first invocation of every blocked evaluation. */
export function blockMarks(rows: readonly GateInvocation[]): Set<string> {
  return new Set(groupGateEvaluations(rows).filter((g) => g.blocked).map((g) => g.invocations[0].id));
}

/**
 * Re-marks the chains of these (newly stored) decisions; returns each agent's change of blocks.
 * (Read, group with lib/analysis, write: in lib/db still, since deletion, delete-records.ts,
 * calls it from here as well as ingest does.)
 * `blocked` (when given) receives the tool calls that became blocked: per call, as many as its
 * count of blocked evaluations grew, so a mark that only moves to an earlier invocation (a
 * decision that arrived late) alerts nobody twice.
 */
export async function refreshBlockedCalls(tx: Tx, dialect: Dialect, decisions: readonly { callKey: string; ts: number }[], conn?: SqliteConnection, blocked?: BlockedCall[]): Promise<Map<string, number>> {
  const delta = new Map<string, number>();
  if (decisions.length === 0) return delta;
  const rows = await readChains(tx, dialect, decisions, conn);
  const marks = blockMarks(rows);
  const changed = rows.filter((r) => marks.has(r.id) !== r.blocksCall);
  if (changed.length === 0) return delta;
  await setMarks(tx, dialect, changed.map((r) => [r.id, !r.blocksCall]));
  for (const r of changed) delta.set(r.agentId, (delta.get(r.agentId) ?? 0) + (r.blocksCall ? -1 : 1));
  if (blocked) {
    const grown = new Map<string, number>();
    for (const r of changed) grown.set(r.callKey, (grown.get(r.callKey) ?? 0) + (r.blocksCall ? -1 : 1));
    for (const r of changed) {
      if (r.blocksCall || (grown.get(r.callKey) ?? 0) <= 0) continue;
      grown.set(r.callKey, grown.get(r.callKey)! - 1);
      blocked.push({ id: r.id, agentId: r.agentId, source: r.source, callKey: r.callKey, ts: r.ts, createdAt: r.createdAt, toolName: r.toolName, policyName: r.policyName, reason: r.outcome?.reason ?? null });
    }
  }
  return delta;
}

export async function setMarks(tx: Tx, dialect: Dialect, marks: [string, boolean][]): Promise<void> {
  if (marks.length === 0) return;
  const c = jsonRows(dialect, "c");
  // The marks go in as 1/0: SQLite stores booleans so, and PostgreSQL casts '1'/'0' to boolean.
  await execute(tx, dialect,
    `UPDATE "policy_decisions" SET "blocks_call" = (${c.col(1, "boolean")}) FROM ${c.from} WHERE "policy_decisions"."id" = ${c.col(0)}`,
    [JSON.stringify(marks.map(([id, m]) => [id, m ? 1 : 0]))]);
}
