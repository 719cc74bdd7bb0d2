// The hot ingest path: a whole batch goes to the database as ONE JSON parameter, unpacked
// there (SQLite json_each, PostgreSQL json_populate_recordset) into INSERT ... ON CONFLICT
// DO NOTHING RETURNING, which also tells which rows were new. Binding each value as its own
// parameter costs the client per parameter (a 24-column row of 1,000 rows is 24,000
// parameters, ~7,000 rows/s through Prisma); one JSON text costs one parse inside the
// database, written in C, and keeps the request in one statement.
import type { Dialect } from "../config";
import type { Tx } from "../client";
import { query } from "../sql";

/** Batches are split so one statement's JSON stays well below SQLite's 1 GB string limit. */
const MAX_ROWS_PER_STATEMENT = 5000;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The INSERT for one dialect; exported for the unit test. The one parameter is the rows as JSON. */
export function insertSql(dialect: Dialect, table: string, columns: readonly string[]): string {
  const cols = columns.map(ident).join(", ");
  if (dialect === "postgresql") {
    // Column types come from the table's own row type, so nothing is cast by hand.
    return `INSERT INTO ${ident(table)} (${cols}) SELECT ${cols} FROM json_populate_recordset(NULL::${ident(table)}, ?::json) ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"`;
  }
  // Each row is a JSON array in column order; ->> gives SQL text/integer/real/NULL.
  // `WHERE true` keeps SQLite from reading ON CONFLICT as part of the SELECT's join.
  const values = columns.map((_, i) => `value ->> ${i}`).join(", ");
  return `INSERT INTO ${ident(table)} (${cols}) SELECT ${values} FROM json_each(?) WHERE true ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"`;
}

/** The JSON parameter: arrays in column order (SQLite), objects keyed by column (PostgreSQL). */
export function rowsJson(dialect: Dialect, columns: readonly string[], rows: unknown[][]): string {
  if (dialect === "sqlite") return JSON.stringify(rows);
  return JSON.stringify(rows.map((r) => Object.fromEntries(columns.map((c, i) => [c, r[i]]))));
}

/** Inserts the rows (values in `columns` order), skipping known dedupe keys; returns the new rows' ids. */
export async function insertRows(
  tx: Tx,
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  rows: unknown[][],
): Promise<Set<string>> {
  const inserted = new Set<string>();
  const sql = insertSql(dialect, table, columns);
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + MAX_ROWS_PER_STATEMENT);
    const result = await query<{ id: string }>(tx, dialect, sql, [rowsJson(dialect, columns, chunk)]);
    for (const r of result) inserted.add(r.id);
  }
  return inserted;
}
