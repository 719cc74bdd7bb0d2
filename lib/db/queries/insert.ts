// The hot ingest path, one small module per database's fastest plain means:
// - SQLite: one cached prepared INSERT ... ON CONFLICT DO NOTHING, run per row on the
//   connection Prisma's transaction is open on; `changes` tells which rows were new. Through
//   Prisma's raw-query API a batch costs the query compiler and several copies of the
//   parameters (~80 ms per 1,000 ~1 KB rows against ~35 ms this way).
// - PostgreSQL: the whole batch as ONE jsonb parameter of row arrays, unpacked by
//   jsonb_array_elements into INSERT ... ON CONFLICT DO NOTHING RETURNING (one round trip,
//   one parse in C; arrays rather than objects keyed by column: ~17% less time per batch).
//   Intercepts are partitioned by month there (migration 0015), and a partitioned table has no
//   unique index without its partition key: their dedupe keys live in intercept_dedupe, which
//   the same statement fills first; only rows whose key was new go into intercepts.
import type { Dialect } from "../config";
import type { DbHandle, SqliteConnection, Tx } from "../client";
import { query } from "../sql";
import { jsonRows } from "../dialect";

/** PostgreSQL batches are split so one statement's JSON parameter stays moderate. */
const MAX_ROWS_PER_STATEMENT = 5000;

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * PostgreSQL's batch INSERT; exported for the unit test. The one parameter is the rows as a
 * JSON array of arrays; each value is cast to its column's type (`types`: column → SQL type).
 */
export function postgresInsertSql(table: string, columns: readonly string[], types: ReadonlyMap<string, string>): string {
  const r = jsonRows("postgresql", "r");
  const values = columns.map((c, i) => {
    const type = types.get(c);
    if (!type) throw new Error(`insertRows: no column ${c} in ${table}`);
    return r.col(i, type);
  });
  return `INSERT INTO ${ident(table)} (${columns.map(ident).join(", ")}) SELECT ${values.join(", ")} FROM ${r.from} ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"`;
}

/**
 * Tables whose dedupe keys are kept in a table of their own (PostgreSQL): table → key table.
 * The key table holds (dedupe_key PRIMARY KEY, id, ts).
 */
const KEY_TABLES: ReadonlyMap<string, string> = new Map([["intercepts", "intercept_dedupe"]]);

/**
 * PostgreSQL's batch INSERT for a table with a key table: one statement, one round trip. The
 * keys go in first with ON CONFLICT DO NOTHING, so the key table's unique index decides, also
 * between two processes storing the same record at once (the second waits for the first's
 * commit, then skips); the rows whose key went in are stored. Exported for the unit test.
 */
export function postgresKeyedInsertSql(table: string, keyTable: string, columns: readonly string[], types: ReadonlyMap<string, string>): string {
  for (const c of ["id", "dedupe_key", "ts"]) if (!columns.includes(c)) throw new Error(`insertRows: ${table} needs column ${c}`);
  const r = jsonRows("postgresql", "r");
  const values = columns.map((c, i) => {
    const type = types.get(c);
    if (!type) throw new Error(`insertRows: no column ${c} in ${table}`);
    return `${r.col(i, type)} AS ${ident(c)}`;
  });
  const cols = columns.map(ident).join(", ");
  return `WITH "incoming" AS MATERIALIZED (SELECT ${values.join(", ")} FROM ${r.from}),
    "new_keys" AS (INSERT INTO ${ident(keyTable)} ("dedupe_key", "id", "ts") SELECT "dedupe_key", "id", "ts" FROM "incoming" ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id")
    INSERT INTO ${ident(table)} (${cols}) SELECT ${cols} FROM "incoming" WHERE "id" IN (SELECT "id" FROM "new_keys") RETURNING "id"`;
}

/** Column types of our own tables, read once per process from the database itself. */
const columnTypes = new Map<string, Map<string, string>>();

async function postgresColumnTypes(tx: Tx, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (!types) {
    const rows = await query<{ column_name: string; data_type: string }>(tx, "postgresql",
      `SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?`, [table]);
    types = new Map(rows.map((r) => [r.column_name, r.data_type]));
    columnTypes.set(table, types);
  }
  return types;
}

/** Inserts the rows (values in `columns` order, "id" first), skipping known dedupe keys; returns the new rows' ids. */
export async function insertRows({ db: tx, dialect, sqlite }: DbHandle, table: string, columns: readonly string[], rows: unknown[][]): Promise<Set<string>> {
  if (dialect === "sqlite") {
    if (!sqlite) throw new Error("insertRows on SQLite needs the connection the transaction is open on");
    return insertRowsSqlite(sqlite, table, columns, rows);
  }
  const inserted = new Set<string>();
  const keyTable = KEY_TABLES.get(table);
  const types = await postgresColumnTypes(tx, table);
  const sql = keyTable ? postgresKeyedInsertSql(table, keyTable, columns, types) : postgresInsertSql(table, columns, types);
  for (let i = 0; i < rows.length; i += MAX_ROWS_PER_STATEMENT) {
    const chunk = rows.slice(i, i + MAX_ROWS_PER_STATEMENT);
    const result = await query<{ id: string }>(tx, dialect, sql, [JSON.stringify(chunk)]);
    for (const r of result) inserted.add(r.id);
  }
  return inserted;
}

const statements = new WeakMap<SqliteConnection, Map<string, ReturnType<SqliteConnection["prepare"]>>>();

/** `sql` prepared once per connection (preparing costs more than running a small INSERT). */
export function preparedOn(conn: SqliteConnection, sql: string): ReturnType<SqliteConnection["prepare"]> {
  let cache = statements.get(conn);
  if (!cache) statements.set(conn, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = conn.prepare(sql)));
  return stmt;
}

/** The per-row INSERT; exported for the unit test. */
export function sqliteRowInsertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO ${ident(table)} (${columns.map(ident).join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ON CONFLICT ("dedupe_key") DO NOTHING`;
}

function insertRowsSqlite(conn: SqliteConnection, table: string, columns: readonly string[], rows: unknown[][]): Set<string> {
  if (columns[0] !== "id") throw new Error(`insertRows: the first column must be "id" (got ${columns[0]})`);
  if (!conn.inTransaction) throw new Error("insertRows on SQLite runs only inside the request's transaction");
  const stmt = preparedOn(conn, sqliteRowInsertSql(table, columns));
  const inserted = new Set<string>();
  for (const row of rows) if (stmt.run(row).changes === 1) inserted.add(row[0] as string);
  return inserted;
}
