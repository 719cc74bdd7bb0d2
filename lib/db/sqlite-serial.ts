// One SQLite connection serves every request (Prisma's better-sqlite3 adapter), and the
// adapter's own lock only orders transactions against each other. A plain statement of
// another request, issued while a transaction waits on an await, would run inside that
// transaction: committed with it, or silently undone with it (a share revocation lost to an
// ingest that failed). Here plain statements wait until no transaction is open.
// Inside a transaction, use its `tx`: a statement on the client itself would wait for the end
// of the very transaction that is waiting for it.
//
// Transactions begin IMMEDIATE (below): with a second process on the file, a deferred one
// that read before writing failed at once instead of waiting its turn.
//
// A transaction must also END whatever happens. Prisma ends one by running COMMIT or ROLLBACK
// as a statement and only then calling the adapter's commit()/rollback(), which frees the
// adapter's own lock (and here, the turn). When SQLite has already rolled back by itself
// (SQLITE_FULL, SQLITE_IOERR: a full disk), that ROLLBACK throws "no transaction is active",
// commit()/rollback() is never called, and every later statement would wait forever. So a
// failed COMMIT/ROLLBACK statement is finished here: rolled back if SQLite still holds it open,
// and the locks released; a ROLLBACK that found nothing to undo has done its job.
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";

type SqlDriverAdapter = Awaited<ReturnType<PrismaBetterSQLite3["connect"]>>;
type SqlQuery = Parameters<SqlDriverAdapter["queryRaw"]>[0];
type Transaction = Awaited<ReturnType<SqlDriverAdapter["startTransaction"]>>;

/** A FIFO lock: acquire() resolves to the function that releases it. */
export class Turnstile {
  private tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const turn = new Promise<void>((r) => (release = r));
    const ready = this.tail.then(() => once(release));
    this.tail = this.tail.then(() => turn);
    return ready;
  }
}

function once(f: () => void): () => void {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      f();
    }
  };
}

const isEnd = (sql: string): "COMMIT" | "ROLLBACK" | null => {
  const word = sql.trim().toUpperCase();
  return word === "COMMIT" || word === "ROLLBACK" ? word : null;
};

export function serializeStatements(adapter: SqlDriverAdapter, conn: BetterSqlite3.Database): SqlDriverAdapter {
  const turnstile = new Turnstile();
  const exclusive =
    <A extends unknown[], R>(f: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await turnstile.acquire();
      try {
        return await f(...args);
      } finally {
        release();
      }
    };
  const queryRaw = adapter.queryRaw.bind(adapter);
  const executeRaw = adapter.executeRaw.bind(adapter);
  const executeScript = adapter.executeScript.bind(adapter);
  const startTransaction = adapter.startTransaction.bind(adapter);
  adapter.queryRaw = exclusive((q: SqlQuery) => queryRaw(q));
  adapter.executeRaw = exclusive((q: SqlQuery) => executeRaw(q));
  adapter.executeScript = exclusive((script: string) => executeScript(script));
  // A transaction holds the turn from BEGIN until its commit or rollback.
  adapter.startTransaction = async (isolationLevel) => {
    const release = await turnstile.acquire();
    // We hold the turn, so no transaction of ours is open: one still open is a leftover, and
    // the adapter's BEGIN would fail on it with its own lock taken (never freed again).
    if (conn.inTransaction) conn.prepare("ROLLBACK").run();
    let tx: Transaction;
    try {
      tx = await startTransaction(isolationLevel);
    } catch (e) {
      release();
      throw e;
    }
    // The adapter's BEGIN is DEFERRED: a transaction that reads first and writes later fails at
    // once with SQLITE_BUSY (no wait) if another process (a second server, the CLI, a retention
    // pass) committed in between. Nothing has run in it yet, so it is swapped for BEGIN
    // IMMEDIATE, which takes the write lock first and waits for it (busy_timeout).
    try {
      conn.prepare("ROLLBACK").run();
      conn.prepare("BEGIN IMMEDIATE").run();
    } catch (e) {
      if (conn.inTransaction) conn.prepare("ROLLBACK").run();
      await tx.rollback().catch(() => {});
      release();
      throw e;
    }
    // The adapter's commit()/rollback() only free its lock: each runs once, whichever comes.
    const unlock = tx.rollback.bind(tx);
    let ended = false;
    const end = () => {
      if (ended) return Promise.resolve();
      ended = true;
      return unlock().finally(release);
    };
    tx.commit = end;
    tx.rollback = end;
    const txExecuteRaw = tx.executeRaw.bind(tx);
    tx.executeRaw = async (q: SqlQuery) => {
      const ending = isEnd(q.sql);
      if (!ending) return txExecuteRaw(q);
      try {
        return await txExecuteRaw(q);
      } catch (e) {
        if (conn.inTransaction) {
          try {
            conn.prepare("ROLLBACK").run();
          } catch {
            /* SQLite ends the transaction on a failed ROLLBACK too */
          }
        }
        await end();
        if (ending === "ROLLBACK" && !conn.inTransaction) return 0;
        throw e;
      }
    };
    return tx;
  };
  return adapter;
}
