// The activity chart's horizontal layout, pure: buckets side by side in time order, short
// quiet spells as empty buckets (time stays linear), and long ones folded into one "gap"
// slot, so a single call days away from the rest costs a narrow break, not the whole width.

export type ActivitySlot =
  | { kind: "bucket"; start: number; end: number; calls: number; leaks: number }
  | { kind: "gap"; start: number; end: number };

/** Width of a gap slot, in buckets. */
export const GAP_UNITS = 3;

export function activitySlots({ buckets, bucketSeconds }: { bucketSeconds: number; buckets: { start: number; calls: number; leaks: number }[] }, foldAfterEmpty = 8): ActivitySlot[] {
  const width = bucketSeconds * 1_000_000;
  const out: ActivitySlot[] = [];
  for (const b of buckets) {
    const prev = out.at(-1);
    if (prev) {
      const empty = Math.round((b.start - prev.end) / width);
      if (empty > foldAfterEmpty) out.push({ kind: "gap", start: prev.end, end: b.start });
      else for (let i = 0; i < empty; i++) out.push({ kind: "bucket", start: prev.end + i * width, end: prev.end + (i + 1) * width, calls: 0, leaks: 0 });
    }
    out.push({ kind: "bucket", start: b.start, end: b.start + width, calls: b.calls, leaks: b.leaks });
  }
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
