// Retention's last step on PostgreSQL: the month partitions of intercepts it has emptied are
// dropped whole, which gives their disk space back at once (docs/retention.md).
import type { ClientHandle } from "../db/client";
import { dropInterceptPartitionIfEmpty, interceptPartitions, monthBoundsUs, monthOfMs } from "../db/queries/partitions";
import { forgetMonth } from "../ingest/partitions";

/**
 * Drops the month partitions that lie wholly before `beforeUs` (and before this month) and hold
 * no row any more. Rows are only ever removed by a deletion, which has written their tombstones,
 * kept what is held and repaired what rested on them (lib/retention/deletion.ts): a month with a
 * held record is not empty, so it stays. A drop that cannot have the parent's lock within 2 s
 * (ingest or a long read in the way) is left to a later pass. Returns the dropped partitions' names.
 */
export async function dropEmptyInterceptPartitions(h: ClientHandle, beforeUs: number, nowMs = Date.now()): Promise<string[]> {
  if (h.dialect !== "postgresql") return [];
  const now = monthOfMs(nowMs)!;
  const dropped: string[] = [];
  for (const p of await interceptPartitions(h)) {
    const [, hi] = monthBoundsUs(p.month);
    if (hi > beforeUs || p.month >= now) continue;
    if (!(await dropInterceptPartitionIfEmpty(h, p.name))) continue;
    dropped.push(p.name);
    forgetMonth(h.db, p.month);
  }
  return dropped;
}
