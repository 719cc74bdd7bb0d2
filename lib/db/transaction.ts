// Which driver runs a write transaction's statements. PostgreSQL: BEGIN/COMMIT on the plain
// pg driver, with a connection from the pool Prisma shares (pg-transaction.ts). SQLite:
// Prisma's $transaction (the ingest path then writes its rows on the connection underneath,
// sqliteConnectionOf). One function, so ingest, reclassify and deletion open theirs alike.
import { postgresPoolOf, type Db, type Tx } from "./client";
import type { Dialect } from "./config";
import { withPostgresTransaction } from "./pg-transaction";
import { withSqliteTransaction } from "./sqlite-transaction";

export function writeTransaction<T>(db: Db, dialect: Dialect, fn: (tx: Tx) => Promise<T>, options: { timeout: number }): Promise<T> {
  const pool = dialect === "postgresql" ? postgresPoolOf(db) : undefined;
  if (pool) return withPostgresTransaction(pool, fn);
  return db.$transaction((tx: Tx) => fn(tx), { maxWait: 60_000, timeout: options.timeout });
}

/**
 * A short transaction whose statements all run on the plain drivers: PostgreSQL as above, SQLite
 * synchronously on the connection inside Prisma's BEGIN/COMMIT (sqlite-transaction.ts), so
 * ingest waits only for the SQL itself. Raw SQL only on its `tx`.
 */
export function rawSqlTransaction<T>(db: Db, dialect: Dialect, fn: (tx: Tx) => Promise<T>, options: { maxWait: number; timeout: number }): Promise<T> {
  const pool = dialect === "postgresql" ? postgresPoolOf(db) : undefined;
  return pool ? withPostgresTransaction(pool, fn) : withSqliteTransaction(db, fn, options);
}
