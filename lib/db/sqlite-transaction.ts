// A short transaction on SQLite whose statements run synchronously on the one connection,
// inside the transaction Prisma opened there (as the ingest hot path's inserts do). While a
// transaction is open every other statement of the process waits for it (sqlite-serial.ts),
// so one that awaits Prisma's raw-query API between statements holds up ingest for all of
// that CPU; run here, it holds the connection only for the SQL itself.
// The callback gets a Tx-shaped object (rawSqlOnly, shared with pg-transaction.ts).
import type BetterSqlite3 from "better-sqlite3";
import { sqliteConnectionOf, type Db, type Tx } from "./client";
import { rawSqlOnly } from "./pg-transaction";

function onConnection(conn: BetterSqlite3.Database): Tx {
  return rawSqlOnly({
    $queryRawUnsafe: async (sql, ...values) => {
      const stmt = conn.prepare(sql);
      return stmt.reader ? stmt.all(...values) : (stmt.run(...values), []);
    },
    $executeRawUnsafe: async (sql, ...values) => conn.prepare(sql).run(...values).changes,
  });
}

/** Prisma's BEGIN and COMMIT (or ROLLBACK if fn throws), the statements in between on the connection itself. */
export function withSqliteTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, options: { maxWait: number; timeout: number }): Promise<T> {
  return db.$transaction(async (tx: Tx) => {
    const conn = sqliteConnectionOf(db);
    // Known once the client has connected, which $transaction has done by now; if ever not,
    // Prisma's own transaction does the same work, only slower.
    return fn(conn?.inTransaction ? onConnection(conn) : tx);
  }, options);
}
