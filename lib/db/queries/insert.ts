// The hot ingest path: multi-row INSERT ... ON CONFLICT DO NOTHING RETURNING, which is
// several times faster than createMany and tells which rows were new.
import type { Dialect } from "../config";
import type { Tx } from "../client";
import { query } from "../sql";

// SQLite allows 32,766 bound parameters per statement; PostgreSQL 65,535.
const MAX_PARAMS = 30000;

export async function insertRows(
  tx: Tx,
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  const perChunk = Math.max(1, Math.floor(MAX_PARAMS / columns.length));
  const cols = columns.map((c) => `"${c}"`).join(", ");
  const tuple = "(" + columns.map(() => "?").join(", ") + ")";
  for (let i = 0; i < rows.length; i += perChunk) {
    const chunk = rows.slice(i, i + perChunk);
    const sql = `INSERT INTO "${table}" (${cols}) VALUES ${chunk.map(() => tuple).join(", ")} ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"`;
    const result = await query<{ id: string }>(tx, dialect, sql, chunk.flat());
    for (const r of result) inserted.add(r.id);
  }
  return inserted;
}
