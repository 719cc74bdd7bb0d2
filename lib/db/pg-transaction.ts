// A transaction on the plain pg driver, for the ingest hot path on PostgreSQL. Through
// Prisma's raw-query API a 1,000-record batch spends ~35 ms of the server's only busy
// thread in the query compiler and parameter copies; pg sends the same SQL as it is.
// The callback gets a Tx-shaped object so the shared query functions (lib/db/sql.ts) run
// unchanged; anything but raw SQL on it is a programming error and says so.
import type pg from "pg";
import type { Tx } from "./client";

/**
 * A Tx-shaped object over raw query functions: the shared query functions (lib/db/sql.ts) run
 * on it unchanged; anything but raw SQL is a programming error and says so. Used here and by
 * sqlite-transaction.ts.
 */
export function rawSqlOnly(raw: {
  $queryRawUnsafe: (sql: string, ...values: unknown[]) => Promise<unknown[]>;
  $executeRawUnsafe: (sql: string, ...values: unknown[]) => Promise<number>;
}): Tx {
  return new Proxy(raw, {
    get(target, prop) {
      if (prop in target) return target[prop as keyof typeof target];
      if (prop === "then") return undefined; // not a thenable
      throw new Error(`this transaction runs raw SQL only (${String(prop)} is not available on it)`);
    },
  }) as unknown as Tx;
}

function onClient(client: pg.PoolClient): Tx {
  return rawSqlOnly({
    $queryRawUnsafe: async (sql, ...values) => (await client.query(sql, values)).rows,
    $executeRawUnsafe: async (sql, ...values) => (await client.query(sql, values)).rowCount ?? 0,
  });
}

/** BEGIN, the callback, COMMIT; ROLLBACK if anything throws. The connection goes back to the pool either way. */
export async function withPostgresTransaction<T>(pool: pg.Pool, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    const result = await fn(onClient(client));
    await client.query("COMMIT");
    return result;
  } catch (e) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError as Error; // the connection is unusable: the pool must not reuse it
    }
    throw e;
  } finally {
    client.release(broken);
  }
}
