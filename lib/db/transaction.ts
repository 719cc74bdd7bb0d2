// Which driver runs a write transaction's statements. PostgreSQL: BEGIN/COMMIT on the plain
// pg driver, with a connection from the pool Prisma shares (pg-transaction.ts). SQLite:
// Prisma's $transaction, and the handle carries the connection underneath (`sqlite`), on
// which the ingest path writes its rows. One function, so ingest, reclassify and deletion
// open theirs alike; the callback gets the transaction's handle, made once per transaction.
import { postgresPoolOf, sqliteConnectionOf, type ClientHandle, type Db, type DbHandle, type Tx } from "./client";
import type { Dialect } from "./config";
import { withPostgresTransaction } from "./pg-transaction";
import { withSqliteTransaction } from "./sqlite-transaction";

export function writeTransaction<T>({ db, dialect }: ClientHandle, fn: (tx: DbHandle) => Promise<T>, options: { timeout: number }): Promise<T> {
  const pool = dialect === "postgresql" ? postgresPoolOf(db) : undefined;
  if (pool) return withPostgresTransaction(pool, (tx) => fn({ db: tx, dialect }));
  // The connection is known once the client has connected, which $transaction has done by now.
  return db.$transaction((tx: Tx) => fn({ db: tx, dialect, sqlite: sqliteConnectionOf(db) }), { maxWait: 60_000, timeout: options.timeout });
}

/**
 * A short transaction whose statements all run on the plain drivers: PostgreSQL as above, SQLite
 * synchronously on the connection inside Prisma's BEGIN/COMMIT (sqlite-transaction.ts), so
 * ingest waits only for the SQL itself. Raw SQL only on its handle (the alert delivery loop's,
 * lib/db/queries/alerts.ts).
 */
export function rawSqlTransaction<T>({ db, dialect }: ClientHandle, fn: (tx: DbHandle) => Promise<T>, options: { maxWait: number; timeout: number }): Promise<T> {
  const pool = dialect === "postgresql" ? postgresPoolOf(db) : undefined;
  const run = (tx: Tx) => fn({ db: tx, dialect });
  return pool ? withPostgresTransaction(pool, run) : withSqliteTransaction(db, run, options);
}
