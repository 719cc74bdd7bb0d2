// A short transaction on SQLite whose statements run synchronously on the one connection,
// inside the transaction Prisma opened there (as the ingest hot path's inserts do). While a
// transaction is open every other statement of the process waits for it (sqlite-serial.ts),
// so one that awaits Prisma's raw-query API between statements holds up ingest for all of
// that CPU; run here, it holds the connection only for the SQL itself.
// The callback gets a Tx-shaped object, so the shared query functions (lib/db/sql.ts) run
// unchanged on it; anything but raw SQL is a programming error and says so.
import type BetterSqlite3 from "better-sqlite3";
import { sqliteConnectionOf, type Db, type Tx } from "./client";

function rawSqlOnly(conn: BetterSqlite3.Database): Tx {
  const raw = {
    $queryRawUnsafe: async (sql: string, ...values: unknown[]) => {
      const stmt = conn.prepare(sql);
      return stmt.reader ? stmt.all(...values) : (stmt.run(...values), []);
    },
    $executeRawUnsafe: async (sql: string, ...values: unknown[]) => conn.prepare(sql).run(...values).changes,
  };
  return new Proxy(raw, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      if (prop === "then") return undefined; // not a thenable
      throw new Error(`this transaction runs raw SQL only (${String(prop)} is not available on it)`);
    },
  }) as unknown as Tx;
}

/** Prisma's BEGIN and COMMIT (or ROLLBACK if fn throws), the statements in between on the connection itself. */
export function withSqliteTransaction<T>(db: Db, fn: (tx: Tx) => Promise<T>, options: { maxWait: number; timeout: number }): Promise<T> {
  return db.$transaction(async (tx: Tx) => {
    const conn = sqliteConnectionOf(db);
    // Known once the client has connected, which $transaction has done by now; if ever not,
    // Prisma's own transaction does the same work, only slower.
    return fn(conn?.inTransaction ? rawSqlOnly(conn) : tx);
  }, options);
}
