// Calls per minute (or per wider bucket for long spans), leaks in red on top. Plain SVG.
// Clicking a bar, or dragging across bars, narrows the timeline to that range (when the page
// passes onPick). Long quiet spells are folded into a narrow break, so one stray call far
// from the rest does not squeeze everything else into a single bar.
"use client";
import { useMemo, useRef, useState } from "react";
import type { Activity } from "@/lib/api-contract/timeline";
import { formatMicros } from "@/lib/records/timestamp";
import { activitySlots, GAP_UNITS, spanLabel } from "@/lib/analysis/activity-slots";

const W = 900;
const H = 90;

export function ActivityChart({ activity, onPick }: { activity: Activity; onPick?: (fromIso: string, toIso: string) => void }) {
  const slots = useMemo(() => activitySlots(activity), [activity]);
  const svg = useRef<SVGSVGElement>(null);
  const [brush, setBrush] = useState<{ from: number; to: number } | null>(null);
  if (!slots.length) return <p className="text-sm text-slate-600">No calls recorded.</p>;
  const { bucketSeconds } = activity;
  const units = slots.map((s) => (s.kind === "gap" ? GAP_UNITS : 1));
  const x0: number[] = [];
  units.reduce((acc, u, i) => ((x0[i] = acc), acc + u), 0);
  const unitW = W / (x0.at(-1)! + units.at(-1)!);
  const max = Math.max(1, ...slots.map((s) => (s.kind === "bucket" ? s.calls : 0)));
  const unit = bucketSeconds === 60 ? "minute" : `${bucketSeconds / 60} minutes`;
  const totalLeaks = activity.buckets.reduce((s, b) => s + b.leaks, 0);
  const lo = slots[0].start;
  const hi = slots.at(-1)!.end;

  // Which slot lies under a pointer position (the SVG stretches, so scale by its box).
  const slotAt = (clientX: number) => {
    const box = svg.current!.getBoundingClientRect();
    const x = ((clientX - box.left) / box.width) * W;
    let i = 0;
    while (i + 1 < slots.length && x0[i + 1] * unitW <= x) i++;
    return i;
  };
  const pick = (a: number, b: number) => {
    const [i, j] = a <= b ? [a, b] : [b, a];
    onPick?.(formatMicros(slots[i].start), formatMicros(slots[j].end));
  };

  return (
    <figure className="rounded border border-slate-200 bg-white p-2" data-testid="activity-chart">
      <figcaption className="mb-1 flex flex-wrap justify-between gap-x-3 text-xs text-slate-600">
        <span>
          Calls per {unit}, {formatMicros(lo).slice(0, 16).replace("T", " ")} – {formatMicros(hi).slice(0, 16).replace("T", " ")} UTC
          {onPick ? " · click or drag to set From/To" : ""}
        </span>
        <span>
          <span className="mr-1 inline-block h-2 w-2 bg-slate-500" /> calls <span className="ml-2 mr-1 inline-block h-2 w-2 bg-red-600" /> leaks ({totalLeaks})
        </span>
      </figcaption>
      <svg
        ref={svg}
        viewBox={`0 0 ${W} ${H}`}
        className={`h-24 w-full touch-none select-none ${onPick ? "cursor-crosshair" : ""}`}
        preserveAspectRatio="none"
        role="img"
        aria-label={`Calls per ${unit}; ${totalLeaks} leaks`}
        onPointerDown={
          onPick
            ? (e) => {
                const i = slotAt(e.clientX);
                svg.current?.setPointerCapture?.(e.pointerId);
                setBrush({ from: i, to: i });
              }
            : undefined
        }
        onPointerMove={brush ? (e) => setBrush({ from: brush.from, to: slotAt(e.clientX) }) : undefined}
        onPointerUp={
          brush
            ? (e) => {
                pick(brush.from, slotAt(e.clientX));
                setBrush(null);
              }
            : undefined
        }
        onPointerCancel={() => setBrush(null)}
      >
        {slots.map((s, i) => {
          const x = x0[i] * unitW;
          if (s.kind === "gap")
            return (
              <g key={`gap-${s.start}`} data-testid="activity-gap">
                <title>{`No calls for ${spanLabel(s.end - s.start)}`}</title>
                <rect x={x} y={0} width={GAP_UNITS * unitW} height={H} className="fill-transparent" />
                <line x1={x + unitW} y1={H * 0.2} x2={x + unitW * 0.6} y2={H * 0.8} className="stroke-slate-500" strokeWidth={2} vectorEffect="non-scaling-stroke" />
                <line x1={x + 2.4 * unitW} y1={H * 0.2} x2={x + 2 * unitW} y2={H * 0.8} className="stroke-slate-500" strokeWidth={2} vectorEffect="non-scaling-stroke" />
              </g>
            );
          const h = (s.calls / max) * (H - 4);
          const lh = (s.leaks / max) * (H - 4);
          const from = formatMicros(s.start);
          return (
            <g key={s.start} data-testid={s.calls ? "activity-bar" : undefined}>
              <title>{`${from.slice(0, 16)} UTC: ${s.calls} call${s.calls === 1 ? "" : "s"}${s.leaks ? `, ${s.leaks} leak${s.leaks === 1 ? "" : "s"}` : ""}`}</title>
              {/* the full-height rect makes a thin bar easy to hit */}
              <rect x={x} y={0} width={unitW} height={H} className="fill-transparent" />
              <rect x={x} y={H - h} width={Math.max(unitW - 1, 1)} height={h} className="fill-slate-500" />
              {s.leaks ? <rect x={x} y={H - lh} width={Math.max(unitW - 1, 1)} height={lh} className="fill-red-600" /> : null}
            </g>
          );
        })}
        {brush ? (
          <rect
            data-testid="activity-brush"
            x={x0[Math.min(brush.from, brush.to)] * unitW}
            y={0}
            width={(x0[Math.max(brush.from, brush.to)] + units[Math.max(brush.from, brush.to)] - x0[Math.min(brush.from, brush.to)]) * unitW}
            height={H}
            className="fill-sky-500/25"
          />
        ) : null}
      </svg>
    </figure>
  );
}
