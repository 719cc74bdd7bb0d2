// The activity chart's horizontal layout, pure: buckets side by side in time order, short
// quiet spells as empty buckets (time stays linear), and long ones folded into one "gap"
// slot, so a single call days away from the rest costs a narrow break, not the whole width.
// Gaps inside the bulk of the calls are at most the server's bucket count (it sizes buckets on
// the middle 98% of calls), so the empty buckets filled in here stay bounded.

export type ActivitySlot =
  | { kind: "bucket"; start: number; end: number; calls: number; leaks: number }
  | { kind: "gap"; start: number; end: number };

/** Width of a gap slot, in buckets. */
export const GAP_UNITS = 3;

export function activitySlots({ buckets, bucketSeconds }: { bucketSeconds: number; buckets: { start: number; calls: number; leaks: number }[] }, minFold = 8): ActivitySlot[] {
  const width = bucketSeconds * 1_000_000;
  if (!buckets.length) return [];
  // Fold the longest quiet spells while each is longer than all the rest of the chart: a
  // 20-minute pause in an hour of work stays to scale, a stray call five days later does not.
  const gaps = buckets.slice(1).map((b, i) => ({ at: i + 1, empty: Math.round((b.start - buckets[i].start) / width) - 1 }));
  let remaining = Math.round((buckets.at(-1)!.start - buckets[0].start) / width) + 1;
  const fold = new Set<number>();
  for (const g of [...gaps].sort((a, b) => b.empty - a.empty)) {
    if (g.empty <= minFold || g.empty <= remaining - g.empty) break;
    fold.add(g.at);
    remaining -= g.empty;
  }
  const out: ActivitySlot[] = [];
  buckets.forEach((b, i) => {
    const prev = out.at(-1);
    if (prev) {
      if (fold.has(i)) out.push({ kind: "gap", start: prev.end, end: b.start });
      else for (let t = prev.end; t < b.start; t += width) out.push({ kind: "bucket", start: t, end: t + width, calls: 0, leaks: 0 });
    }
    out.push({ kind: "bucket", start: b.start, end: b.start + width, calls: b.calls, leaks: b.leaks });
  });
  return out;
}

/** "3 d 4 h", "2 h 5 min", "40 min": how long a folded gap lasted. */
export function spanLabel(micros: number): string {
  const min = Math.round(micros / 60_000_000);
  const d = Math.floor(min / 1440);
  const h = Math.floor((min % 1440) / 60);
  const m = min % 60;
  if (d) return h ? `${d} d ${h} h` : `${d} d`;
  if (h) return m ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}
