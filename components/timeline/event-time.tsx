"use client";
import { useEffect, useState } from "react";

/** "2026-11-20T09:00:00.000000Z" → a Date (JS keeps milliseconds only). */
export const parseAt = (at: string) => new Date(at.replace(/(\.\d{3})\d+/, "$1"));

export function relativeTime(at: Date, now: number): string {
  const s = Math.round((now - at.getTime()) / 1000);
  const abs = Math.abs(s);
  const [n, unit] = abs < 60 ? [abs, "s"] : abs < 3600 ? [Math.round(abs / 60), "min"] : abs < 86400 ? [Math.round(abs / 3600), "h"] : [Math.round(abs / 86400), "d"];
  return s >= 0 ? `${n} ${unit} ago` : `in ${n} ${unit}`;
}

/** The current time, ticking each 30 s; null during server render so markup hydrates cleanly. */
function useNow(): number | null {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const t = setInterval(tick, 30_000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** Relative and absolute time; the full UTC timestamp on hover. */
export function EventTime({ at }: { at: string }) {
  const now = useNow();
  const d = parseAt(at);
  const clock = d.toISOString().slice(11, 19);
  return (
    <time dateTime={at} title={`${at} (UTC)`} className="whitespace-nowrap tabular-nums text-slate-600">
      <span className="text-slate-700">{clock}</span>
      {now !== null ? <span className="ml-1 hidden text-[11px] sm:inline">({relativeTime(d, now)})</span> : null}
    </time>
  );
}
