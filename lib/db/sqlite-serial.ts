// One SQLite connection serves every request (Prisma's better-sqlite3 adapter), and the
// adapter's own lock only orders transactions against each other. A plain statement of
// another request, issued while a transaction waits on an await, would run inside that
// transaction: committed with it, or silently undone with it (a share revocation lost to an
// ingest that failed). Here plain statements wait until no transaction is open.
// Inside a transaction, use its `tx`: a statement on the client itself would wait for the end
// of the very transaction that is waiting for it.
import type { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

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

export function serializeStatements(adapter: SqlDriverAdapter): SqlDriverAdapter {
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
    let tx: Transaction;
    try {
      tx = await startTransaction(isolationLevel);
    } catch (e) {
      release();
      throw e;
    }
    const commit = tx.commit.bind(tx);
    const rollback = tx.rollback.bind(tx);
    tx.commit = () => commit().finally(release);
    tx.rollback = () => rollback().finally(release);
    return tx;
  };
  return adapter;
}
