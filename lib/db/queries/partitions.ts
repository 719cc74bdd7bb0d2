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
// deleted (dropEmptyInterceptPartitions). SQLite has one table: everything here is a no-op there.
import type { ClientHandle, Db, DbHandle, Tx } from "../client";
import { withPostgresTransaction } from "../pg-transaction";
import { postgresPoolOf } from "../client";
import { execute, num, query } from "../sql";

/** How far back (months before this one) a record's month still gets its own partition. */
export const MONTHS_BACK = 60;
/** How far ahead a record's month gets one on demand. */
export const MONTHS_ON_DEMAND = 3;
/** Months made ahead of time, after this one. */
export const MONTHS_AHEAD = 2;

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

// The months known to have a partition, per client, once per process (globalThis: Next.js
// loads this module once per bundle). A month is added when made here, and the whole set is
// re-read by the maintenance task; a month another process dropped meanwhile only means its
// late rows land in intercepts_default, where they are still stored and found.
const g = globalThis as unknown as { __verdictInterceptMonths?: WeakMap<object, Set<Month>> };
const knownMonths: WeakMap<object, Set<Month>> = (g.__verdictInterceptMonths ??= new WeakMap());

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

async function refreshKnown(db: Db): Promise<Set<Month>> {
  const months = new Set((await interceptPartitions({ db, dialect: "postgresql" })).map((p) => p.month));
  knownMonths.set(db, months);
  return months;
}

async function createMonth(db: Db, m: Month): Promise<void> {
  const [lo] = monthBoundsUs(m);
  await query(db as unknown as Tx, "postgresql", `SELECT "verdict_intercepts_partition"(CAST(? AS timestamp)) AS "p"`, [new Date(lo / 1000).toISOString().replace("T", " ").replace("Z", "")]);
}

// Rows sent per month by this process, and the count at which it next runs ANALYZE on
// intercepts (ANALYZE_AT, then ×10: three times a month per process): a new month is planned
// without statistics until autovacuum, which wakes once a minute, gets to it, and autovacuum never
// analyzes the partitioned parent itself. Without them PostgreSQL sorted every earlier tool call
// of the tag for each LLM call in the leak rule instead of reading the newest. In-process on a
// fresh store (scripts/bench/profile-ingest.ts pattern, 30 batches of 1,000, a busy machine),
// the leak statement per batch: 245 ms with no statistics, 195 ms with the partition's alone,
// 13 ms with the parent's too; 59 ms unpartitioned.
const ANALYZE_AT = 1000;
const g2 = globalThis as unknown as { __verdictMonthRows?: WeakMap<object, Map<Month, { rows: number; next: number }>> };
const monthRows: WeakMap<object, Map<Month, { rows: number; next: number }>> = (g2.__verdictMonthRows ??= new WeakMap());

function countRows(db: Db, m: Month, n: number): boolean {
  let perMonth = monthRows.get(db);
  if (!perMonth) monthRows.set(db, (perMonth = new Map()));
  const c = perMonth.get(m) ?? { rows: 0, next: ANALYZE_AT };
  perMonth.set(m, c);
  // Counted before this batch's rows: they are not stored yet when the ANALYZE starts.
  const due = c.rows >= c.next;
  if (due) c.next *= 10;
  c.rows += n;
  return due;
}

/**
 * Before a batch is stored: makes the partition of every month of the rows' ts (µs) that has none
 * yet and lies within the window. Nothing to do (no query) when all are known, as for almost
 * every batch. Returns how many were made. Also starts, in the background, an ANALYZE of
 * intercepts when this process has sent 1,000, 10,000 or 100,000 rows into a month (ANALYZE_AT).
 */
export async function ensureInterceptPartitions({ db, dialect }: ClientHandle, rows: readonly { ts: number }[], nowMs = Date.now()): Promise<number> {
  if (dialect !== "postgresql") return 0;
  let known = knownMonths.get(db);
  const now = monthOfMs(nowMs)!;
  const missing = new Set<Month>();
  const sent = new Map<Month, number>();
  let last: Month | null = null; // records of a batch mostly share a month: skip the set look-up for a repeat
  let run = 0;
  for (const r of rows) {
    const m = monthOfTs(r.ts);
    if (m === last) {
      run++;
      continue;
    }
    if (last !== null) sent.set(last, (sent.get(last) ?? 0) + run);
    last = m;
    run = 1;
    if (m === null || m < now - MONTHS_BACK || m > now + MONTHS_ON_DEMAND) continue;
    if (!known) known = await refreshKnown(db);
    if (!known.has(m)) missing.add(m);
  }
  if (last !== null) sent.set(last, (sent.get(last) ?? 0) + run);
  for (const m of [...missing].sort((a, b) => a - b)) {
    await createMonth(db, m);
    known!.add(m);
  }
  for (const [m, n] of sent) {
    if (!known?.has(m) || !countRows(db, m, n)) continue;
    // Not awaited: the batch does not wait for it; a failure only means no fresh statistics yet.
    void execute(db as unknown as Tx, "postgresql", `ANALYZE "intercepts"`).catch(() => {});
  }
  return missing.size;
}

/** This month and the next MONTHS_AHEAD: made if missing (the maintenance task, at start and every few hours). */
export async function makePartitionsAhead({ db, dialect }: ClientHandle, nowMs = Date.now()): Promise<string[]> {
  if (dialect !== "postgresql") return [];
  const known = await refreshKnown(db);
  const now = monthOfMs(nowMs)!;
  const made: string[] = [];
  for (let m = now; m <= now + MONTHS_AHEAD; m++) {
    if (known.has(m)) continue;
    await createMonth(db, m);
    known.add(m);
    made.push(partitionName(m));
  }
  return made;
}

/**
 * Retention's last step: drops the month partitions that lie wholly before `beforeUs` (and
 * before this month) and hold no row any more. Rows are only ever removed by a deletion, which
 * has written their tombstones, kept what is held and repaired what rested on them
 * (lib/db/queries/delete-records.ts): a month with a held record is not empty, so it stays. The
 * drop takes the parent's lock for a moment (lock_timeout 2 s: if ingest or a long read is in the
 * way, the month is dropped on a later pass). Returns the dropped partitions' names.
 */
export async function dropEmptyInterceptPartitions({ db, dialect }: ClientHandle, beforeUs: number, nowMs = Date.now()): Promise<string[]> {
  if (dialect !== "postgresql") return [];
  const pool = postgresPoolOf(db);
  if (!pool) return [];
  const now = monthOfMs(nowMs)!;
  const dropped: string[] = [];
  for (const p of await interceptPartitions({ db, dialect: "postgresql" })) {
    const [, hi] = monthBoundsUs(p.month);
    if (hi > beforeUs || p.month >= now) continue;
    const ident = `"${p.name}"`;
    // A first look without any lock (an emptied table is read to its end once, then vacuum truncates it).
    if ((await query(db as unknown as Tx, dialect, `SELECT 1 AS "x" FROM ${ident} LIMIT 1`)).length) continue;
    try {
      const gone = await withPostgresTransaction(pool, async (tx) => {
        await query(tx, dialect, `SET LOCAL lock_timeout = '2s'`);
        // The parent first, as every statement on intercepts takes it, so no lock cycle.
        await query(tx, dialect, `LOCK TABLE ONLY "intercepts" IN ACCESS EXCLUSIVE MODE`);
        const [{ n }] = await query<{ n: unknown }>(tx, dialect, `SELECT COUNT(*) AS "n" FROM (SELECT 1 FROM ${ident} LIMIT 1) AS x`);
        if (num(n) > 0) return false;
        await query(tx, dialect, `DROP TABLE ${ident}`);
        return true;
      });
      if (gone) {
        dropped.push(p.name);
        knownMonths.get(db)?.delete(p.month);
      }
    } catch (e) {
      if ((e as { code?: string }).code !== "55P03") throw e; // lock_not_available: next pass
    }
  }
  return dropped;
}
