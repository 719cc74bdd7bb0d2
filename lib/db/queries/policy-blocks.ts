// The reads and writes of the blocked-call marks (lib/ingest/blocked-calls.ts decides them):
// the decisions of a call within a time window, enough of each to group it into gate
// evaluations, and the blocks_call marks.
import type { Dialect } from "../config";
import type { DbHandle } from "../client";
import { bool, execute, num, query } from "../sql";
import { jsonRows } from "../dialect";
import { tryParseJson } from "../../records/json";
import type { GateInvocation, GateOutcome } from "../../analysis/policy-groups";

/** A stored decision as the grouping reads it, with its current mark. */
export type ChainDecision = GateInvocation & { blocksCall: boolean; source: string };
type Row = ChainDecision;

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

/**
 * The decisions of each call within its window ([callKey, lo, hi], ts in µs), enough of each
 * to group it. On SQLite, the handle's connection (the transaction's own) runs the read: through
 * Prisma this read was most of the blocked-call refresh's time.
 */
export async function decisionsInWindows(h: DbHandle, windows: readonly [callKey: string, lo: number, hi: number][]): Promise<ChainDecision[]> {
  const { db: tx, dialect } = h;
  const json = JSON.stringify(windows);
  const conn = h.sqlite;
  const raw = conn ? (conn.prepare(chainSql(dialect)).all(json) as Record<string, unknown>[]) : await query<Record<string, unknown>>(tx, dialect, chainSql(dialect), [json]);
  return raw.map(toRow);
}

/** Every decision of these calls (for a full recount). */
export async function readDecisionsOfCalls(h: DbHandle, callKeys: string[]): Promise<Row[]> {
  const { db: tx, dialect } = h;
  const json = JSON.stringify(callKeys.map((k) => [k, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER]));
  return (await query<Record<string, unknown>>(tx, dialect, chainSql(dialect), [json])).map(toRow);
}

export async function setMarks(h: DbHandle, marks: [string, boolean][]): Promise<void> {
  const { db: tx, dialect } = h;
  if (marks.length === 0) return;
  const c = jsonRows(dialect, "c");
  // The marks go in as 1/0: SQLite stores booleans so, and PostgreSQL casts '1'/'0' to boolean.
  await execute(tx, dialect,
    `UPDATE "policy_decisions" SET "blocks_call" = (${c.col(1, "boolean")}) FROM ${c.from} WHERE "policy_decisions"."id" = ${c.col(0)}`,
    [JSON.stringify(marks.map(([id, m]) => [id, m ? 1 : 0]))]);
}
