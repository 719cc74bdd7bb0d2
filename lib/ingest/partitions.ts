// PostgreSQL: the month partitions of intercepts are made ahead by the server itself, at start
// and every few hours, once per process (lib/db/queries/partitions.ts says what and why).
// Several processes doing this at once is safe: the database function makes each month once.
import { getDb } from "../db/client";
import { makePartitionsAhead } from "../db/queries/partitions";

const EVERY_MS = 6 * 3600_000;
const g = globalThis as unknown as { __verdictPartitionLoop?: { stop: () => void } };

export function startPartitionLoop(): void {
  if (g.__verdictPartitionLoop) return;
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
  g.__verdictPartitionLoop = { stop: () => ((stopped = true), clearTimeout(timer)) };
}
