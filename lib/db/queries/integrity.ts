// The reads of the integrity check (lib/evidence-chain/integrity.ts) beyond the evidence
// chain's own (queries/evidence.ts): the records no batch lists.
import type { DbHandle } from "../client";
import { num, query } from "../sql";
import type { RecordTable } from "../../records/record-tables";

/** Rows stored before the chain existed: no batch, ingested before `since` (µs). */
export async function unchainedCount(h: DbHandle, table: RecordTable, since: number): Promise<number> {
  const { db: tx, dialect } = h;
  const [c] = await query<{ n: unknown }>(tx, dialect, `SELECT COUNT(*) AS n FROM "${table}" WHERE "batch_id" IS NULL AND "ingested_at" < ?`, [since]);
  return num(c.n);
}

/** Ids of rows no batch lists although stored after the chain began, or whose batch is gone (at most `limit`). */
export async function rowsOutsideChain(h: DbHandle, table: RecordTable, since: number, limit: number): Promise<string[]> {
  const { db: tx, dialect } = h;
  const rows = await query<{ id: string }>(tx, dialect,
    `SELECT t."id" FROM "${table}" t
     WHERE (t."batch_id" IS NULL AND t."ingested_at" >= ?)
        OR (t."batch_id" IS NOT NULL AND NOT EXISTS (SELECT 1 FROM "evidence_batches" b WHERE b."id" = t."batch_id"))
     LIMIT ?`, [since, limit]);
  return rows.map((r) => r.id);
}
