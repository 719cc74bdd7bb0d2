// Re-classifying stored calls (lib/ingest/reclassify.ts runs it): the pages of calls and
// policy decisions it reads, and the kinds it writes.
import type { DbHandle } from "../client";
import type { Dialect } from "../config";
import { execute, num, query } from "../sql";
import { boolSql, jsonRows } from "../dialect";
import type { CallKind } from "../../analysis/classify-call";

/** An intercept as reclassify reads it. */
export interface StoredCall {
  id: string;
  agent_id: string;
  action_name: string;
  source_url: string;
  kind: string;
  llm_provider: string | null;
  ts: unknown;
}

/** How many rows the table holds (for progress). */
export async function countRows(h: DbHandle, table: "intercepts" | "policy_decisions"): Promise<number> {
  const { db, dialect } = h;
  return num((await query<{ n: unknown }>(db, dialect, `SELECT COUNT(*) AS "n" FROM "${table}"`))[0]?.n);
}

/** The next page of intercepts by id. */
export async function interceptPage(h: DbHandle, after: string, limit: number): Promise<StoredCall[]> {
  const { db, dialect } = h;
  return query<StoredCall>(db, dialect,
    `SELECT "id", "agent_id", "action_name", "source_url", "kind", "llm_provider", "ts" FROM "intercepts" WHERE "id" > ? ORDER BY "id" LIMIT ?`, [after, limit]);
}

/** These intercepts' kind and leak flag as stored now. */
export async function currentKinds(h: DbHandle, ids: string[]): Promise<Map<string, { id: string; kind: string; is_leak: unknown }>> {
  const { db: tx, dialect } = h;
  const rows = await query<{ id: string; kind: string; is_leak: unknown }>(tx, dialect, `SELECT "id", "kind", "is_leak" FROM "intercepts" WHERE "id" IN (${ids.map(() => "?").join(", ")})`, ids);
  return new Map(rows.map((r) => [r.id, r]));
}

function setKindsSql(dialect: Dialect): string {
  // A call that is no longer an LLM call carries no leak link (relinking only visits LLM calls).
  const c = jsonRows(dialect, "c");
  return `UPDATE "intercepts" SET "kind" = ${c.col(1)}, "llm_provider" = ${c.col(2)},
         "leak_tool_intercept_id" = CASE WHEN ${c.col(1)} = 'llm_call' THEN "intercepts"."leak_tool_intercept_id" END,
         "is_leak" = CASE WHEN ${c.col(1)} = 'llm_call' THEN "intercepts"."is_leak" ELSE ${boolSql(dialect, false)} END
       FROM ${c.from} WHERE "intercepts"."id" = ${c.col(0)}`;
}

/** Writes new kinds and providers (a call that is no longer an LLM call loses its leak link). */
export async function setKinds(h: DbHandle, changes: { id: string; kind: CallKind; llmProvider: string | null }[]): Promise<void> {
  const { db: tx, dialect } = h;
  await execute(tx, dialect, setKindsSql(dialect), [
    JSON.stringify(changes.map((c) => [c.id, c.kind, c.llmProvider])),
  ]);
}

/** The next page of distinct call keys of policy decisions. */
export async function callKeyPage(h: DbHandle, after: string, limit: number): Promise<string[]> {
  const { db, dialect } = h;
  return (await query<{ call_key: string }>(db, dialect,
    `SELECT "call_key" FROM "policy_decisions" WHERE "call_key" > ? GROUP BY "call_key" ORDER BY "call_key" LIMIT ?`, [after, limit])).map((r) => r.call_key);
}
