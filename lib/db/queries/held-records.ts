// The reads behind legal holds and reviews at deletion (lib/retention/held-records.ts decides
// from them which records no deletion may remove; docs/retention.md, "What a hold keeps").
import type { DbHandle } from "../client";
import { num, query } from "../sql";
import { boolParam } from "../dialect";
import { tryParseJson } from "../../records/json";
import type { HandoffSubject } from "../../analysis/claims";

/** The ids of the holds in force. */
export async function activeHoldIds(h: DbHandle): Promise<Set<string>> {
  const { db: tx, dialect } = h;
  return new Set((await query<{ id: string }>(tx, dialect, `SELECT "id" FROM "legal_holds" WHERE "released_at" IS NULL`)).map((r) => String(r.id)));
}

/**
 * The ids of the handoffs on hold: CAUGHT ones, those a reviewer has marked (review_state,
 * the newest review's state), and those held by id.
 */
export async function heldHandoffIds(h: DbHandle): Promise<string[]> {
  const { db: tx, dialect } = h;
  const rows = await query<{ id: string }>(tx, dialect, `SELECT "id" FROM "handoffs"
    WHERE ("evaluator_outcome" = 'CAUGHT' OR "verdict_outcome" = 'CAUGHT' OR "review_state" IS NOT NULL)
       OR "id" IN (SELECT "record_id" FROM "legal_holds" WHERE "record_table" = 'handoffs' AND "released_at" IS NULL AND "automatic" = ?)`, [boolParam(dialect, false)]);
  return rows.map((r) => String(r.id));
}

/** Leaks (LLM calls) a reviewer has marked: held with the tool calls they point at. */
export async function reviewedLeakIds(h: DbHandle): Promise<string[]> {
  const { db: tx, dialect } = h;
  return (await query<{ id: string }>(tx, dialect, `SELECT DISTINCT "subject_id" AS "id" FROM "reviews" WHERE "subject_type" = 'intercept'`)).map((r) => String(r.id));
}

/** These handoffs (at most a few hundred ids) as the analysis reads them. */
export async function handoffSubjects(h: DbHandle, ids: string[]): Promise<HandoffSubject[]> {
  const { db: tx, dialect } = h;
  const rows = await query(tx, dialect, `SELECT "id", "source", "agent_id", "ts", "payload" FROM "handoffs" WHERE "id" IN (${ids.map(() => "?").join(", ")})`, ids);
  return rows.map((r) => ({ id: String(r.id), source: String(r.source), agentId: String(r.agent_id), ts: num(r.ts), payload: tryParseJson(String(r.payload))?.value ?? {} }));
}

/** The gate decisions of an agent on these tools between `lo` and `hi` (µs, inclusive). */
export async function gateDecisionIds(h: DbHandle, agentId: string, lo: number, hi: number, toolNames: string[]): Promise<string[]> {
  const { db: tx, dialect } = h;
  const rows = await query<{ id: string }>(tx, dialect,
    `SELECT "id" FROM "policy_decisions" WHERE "agent_id" = ? AND "ts" >= ? AND "ts" <= ? AND "tool_name" IN (${toolNames.map(() => "?").join(", ")})`,
    [agentId, lo, hi, ...toolNames]);
  return rows.map((r) => r.id);
}

/** These intercepts' leak link (l) and parent tool call (p). */
export async function leakLinksOf(h: DbHandle, ids: string[]): Promise<{ id: string; l: string | null; p: string | null }[]> {
  const { db: tx, dialect } = h;
  return query<{ id: string; l: string | null; p: string | null }>(tx, dialect,
    `SELECT "id", "leak_tool_intercept_id" AS l, "parent_tool_intercept_id" AS p FROM "intercepts" WHERE "id" IN (${ids.map(() => "?").join(", ")})`, ids);
}

/** The tool calls a source's leaks point at (in any source). */
export async function leakedToolsOfSource(h: DbHandle, source: string): Promise<string[]> {
  const { db: tx, dialect } = h;
  const rows = await query<{ l: string }>(tx, dialect,
    `SELECT DISTINCT "leak_tool_intercept_id" AS l FROM "intercepts" WHERE "source" = ? AND "leak_tool_intercept_id" IS NOT NULL`, [source]);
  return rows.map((r) => r.l);
}
