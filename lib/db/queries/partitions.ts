// PostgreSQL keeps intercepts in one partition per month of the record's time (ts), plus
// intercepts_default for times far off (migration 0015; docs/performance.md, "PostgreSQL:
// intercepts by month"). Verdict makes the partitions itself:
//   - ahead: this month and the next two, at migration, at start and every few hours
//     (lib/ingest/partitions.ts);
//   - on demand: before a batch is stored, the month of any of its records that has none yet,
//     if it lies within MONTHS_BACK before and MONTHS_ON_DEMAND after this month (an import of
//     last year's records gets its months); anything further off goes to intercepts_default,
//     so a sender's clock cannot make an unbounded number of partitions.
// The database function verdict_intercepts_partition makes one, one process at a time, moving
// that month's rows out of intercepts_default. Retention drops a month whose rows it has all
// deleted (lib/retention/partitions.ts). Here: the statements and the months' names; when to run
// them is decided in lib/ingest/partitions.ts and lib/retention/partitions.ts.
import type { ClientHandle, DbHandle, Tx } from "../client";
import { withPostgresTransaction } from "../pg-transaction";
import { postgresPoolOf } from "../client";
import { execute, num, query } from "../sql";

/** A month as a number: year * 12 + month index (UTC). */
export type Month = number;

export function monthOfMs(ms: number): Month | null {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  return Number.isNaN(y) ? null : y * 12 + d.getUTCMonth();
}

/** The month of a record time (µs since the epoch). */
export const monthOfTs = (tsUs: number): Month | null => monthOfMs(Math.floor(tsUs / 1000));

/** [first µs, first µs of the next month) */
export function monthBoundsUs(m: Month): [number, number] {
  const start = (x: Month) => Date.UTC(Math.floor(x / 12), x % 12, 1) * 1000;
  return [start(m), start(m + 1)];
}

/** The partition's name: intercepts_YYYY_MM (as the database function names it). */
export function partitionName(m: Month): string {
  return `intercepts_${String(Math.floor(m / 12)).padStart(4, "0")}_${String((m % 12) + 1).padStart(2, "0")}`;
}

function monthOfName(name: string): Month | null {
  const match = /^intercepts_(\d{4})_(\d{2})$/.exec(name);
  return match ? Number(match[1]) * 12 + Number(match[2]) - 1 : null;
}

/** The month partitions that exist, read from the catalogue. */
export async function interceptPartitions({ db }: DbHandle): Promise<{ name: string; month: Month }[]> {
  const rows = await query<{ name: string }>(db as Tx, "postgresql",
    `SELECT c."relname"::text AS "name" FROM pg_inherits i JOIN pg_class c ON c."oid" = i."inhrelid" WHERE i."inhparent" = to_regclass('"intercepts"')`);
  const out: { name: string; month: Month }[] = [];
  for (const r of rows) {
    const month = monthOfName(String(r.name));
    if (month !== null) out.push({ name: String(r.name), month });
  }
  return out.sort((a, b) => a.month - b.month);
}

/** Makes the month's partition (the database function: once, whichever process asks first). */
export async function createMonthPartition({ db }: DbHandle, m: Month): Promise<void> {
  const [lo] = monthBoundsUs(m);
  await query(db as Tx, "postgresql", `SELECT "verdict_intercepts_partition"(CAST(? AS timestamp)) AS "p"`, [new Date(lo / 1000).toISOString().replace("T", " ").replace("Z", "")]);
}

export async function analyzeIntercepts({ db }: DbHandle): Promise<void> {
  await execute(db as Tx, "postgresql", `ANALYZE "intercepts"`);
}

/**
 * Drops the partition if it holds no row, under the parent's lock (lock_timeout 2 s). True when
 * dropped; false when a row is there or the lock was not had in time (a later pass tries again).
 */
export async function dropInterceptPartitionIfEmpty({ db }: ClientHandle, name: string): Promise<boolean> {
  const pool = postgresPoolOf(db);
  if (!pool) return false;
  const ident = `"${name}"`;
  // A first look without any lock (an emptied table is read to its end once, then vacuum truncates it).
  if ((await query(db as Tx, "postgresql", `SELECT 1 AS "x" FROM ${ident} LIMIT 1`)).length) return false;
  try {
    return await withPostgresTransaction(pool, async (tx) => {
      await query(tx, "postgresql", `SET LOCAL lock_timeout = '2s'`);
      // The parent first, as every statement on intercepts takes it, so no lock cycle.
      await query(tx, "postgresql", `LOCK TABLE ONLY "intercepts" IN ACCESS EXCLUSIVE MODE`);
      const [{ n }] = await query<{ n: unknown }>(tx, "postgresql", `SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM ${ident} LIMIT 1) AS x`);
      if (num(n) > 0) return false;
      await query(tx, "postgresql", `DROP TABLE ${ident}`);
      return true;
    });
  } catch (e) {
    if ((e as { code?: string }).code !== "55P03") throw e; // lock_not_available: next pass
    return false;
  }
}
