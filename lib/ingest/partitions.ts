// PostgreSQL: when the month partitions of intercepts are made (lib/db/queries/partitions.ts
// has the statements and says why): ahead, by the server itself at start and every few hours,
// once per process; on demand, before a batch is stored; and when a month's statistics are
// refreshed. Several processes doing this at once is safe: the database function makes each
// month once.
import { getDb, type ClientHandle, type Db } from "../db/client";
import { analyzeIntercepts, createMonthPartition, interceptPartitions, monthOfMs, monthOfTs, partitionName, type Month } from "../db/queries/partitions";

/** How far back (months before this one) a record's month still gets its own partition. */
export const MONTHS_BACK = 60;
/** How far ahead a record's month gets one on demand. */
export const MONTHS_ON_DEMAND = 3;
/** Months made ahead of time, after this one. */
export const MONTHS_AHEAD = 2;

// The months known to have a partition, per client, once per process (globalThis: Next.js
// loads this module once per bundle). A month is added when made here, and the whole set is
// re-read by the maintenance task; a month another process dropped meanwhile only means its
// late rows land in intercepts_default, where they are still stored and found.
const g = globalThis as unknown as { __verdictInterceptMonths?: WeakMap<object, Set<Month>> };
const knownMonths: WeakMap<object, Set<Month>> = (g.__verdictInterceptMonths ??= new WeakMap());

/** After retention dropped a month: this process makes it again if a late record needs it. */
export function forgetMonth(db: Db, m: Month): void {
  knownMonths.get(db)?.delete(m);
}

async function refreshKnown(db: Db): Promise<Set<Month>> {
  const months = new Set((await interceptPartitions({ db, dialect: "postgresql" })).map((p) => p.month));
  knownMonths.set(db, months);
  return months;
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
    await createMonthPartition({ db, dialect }, m);
    known!.add(m);
  }
  for (const [m, n] of sent) {
    if (!known?.has(m) || !countRows(db, m, n)) continue;
    // Not awaited: the batch does not wait for it; a failure only means no fresh statistics yet.
    void analyzeIntercepts({ db, dialect }).catch(() => {});
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
    await createMonthPartition({ db, dialect }, m);
    known.add(m);
    made.push(partitionName(m));
  }
  return made;
}


const EVERY_MS = 6 * 3600_000;
const gLoop = globalThis as unknown as { __verdictPartitionLoop?: { stop: () => void } };

export function startPartitionLoop(): void {
  if (gLoop.__verdictPartitionLoop) return;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastError = "";
  const tick = async () => {
    try {
      const h = getDb();
      if (h.dialect !== "postgresql") return; // SQLite: one table, nothing to make
      const made = await makePartitionsAhead(h);
      if (made.length) console.log(`[verdict] made intercept partitions ${made.join(", ")}`);
      lastError = "";
    } catch (err) {
      const msg = (err as Error).message;
      if (msg !== lastError) console.error(`[verdict] intercept partitions: ${msg}`);
      lastError = msg;
    }
    if (!stopped) (timer = setTimeout(tick, EVERY_MS)).unref();
  };
  (timer = setTimeout(tick, 1_000)).unref();
  gLoop.__verdictPartitionLoop = { stop: () => ((stopped = true), clearTimeout(timer)) };
}
