// Calls per minute (or per wider bucket for long spans), leaks in red on top. Plain SVG.
// Clicking a bar narrows the timeline to that bucket (when the page passes onPick).
"use client";
import type { Activity } from "@/lib/db/queries/agents";
import { formatMicros } from "@/lib/records/timestamp";

export function ActivityChart({ activity, onPick }: { activity: Activity; onPick?: (fromIso: string, toIso: string) => void }) {
  const { buckets, bucketSeconds } = activity;
  if (!buckets.length) return <p className="text-sm text-slate-500">No calls recorded.</p>;
  const W = 900;
  const H = 90;
  const lo = buckets[0].start;
  const width = bucketSeconds * 1_000_000;
  const n = Math.round((buckets.at(-1)!.start - lo) / width) + 1;
  const max = Math.max(...buckets.map((b) => b.calls));
  const bw = W / n;
  const unit = bucketSeconds === 60 ? "minute" : `${bucketSeconds / 60} minutes`;
  const totalLeaks = buckets.reduce((s, b) => s + b.leaks, 0);
  return (
    <figure className="rounded border border-slate-200 bg-white p-2" data-testid="activity-chart">
      <figcaption className="mb-1 flex justify-between text-xs text-slate-600">
        <span>Calls per {unit}, {formatMicros(lo).slice(0, 16).replace("T", " ")} – {formatMicros(buckets.at(-1)!.start + width).slice(11, 16)} UTC</span>
        <span>
          <span className="mr-1 inline-block h-2 w-2 bg-slate-400" /> calls <span className="ml-2 mr-1 inline-block h-2 w-2 bg-red-600" /> leaks ({totalLeaks})
        </span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} className="h-24 w-full" preserveAspectRatio="none" role="img" aria-label={`Calls per ${unit}; ${totalLeaks} leaks`}>
        {buckets.map((b) => {
          const x = ((b.start - lo) / width) * bw;
          const h = (b.calls / max) * (H - 4);
          const lh = (b.leaks / max) * (H - 4);
          const from = formatMicros(b.start);
          const to = formatMicros(b.start + width);
          return (
            <g key={b.start} onClick={() => onPick?.(from, to)} className={onPick ? "cursor-pointer" : undefined}>
              <title>{`${from.slice(0, 16)} UTC: ${b.calls} call${b.calls === 1 ? "" : "s"}${b.leaks ? `, ${b.leaks} leak${b.leaks === 1 ? "" : "s"}` : ""}`}</title>
              <rect x={x} y={H - h} width={Math.max(bw - 1, 1)} height={h} className="fill-slate-400" />
              {b.leaks ? <rect x={x} y={H - lh} width={Math.max(bw - 1, 1)} height={lh} className="fill-red-600" /> : null}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
