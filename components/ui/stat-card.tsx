import Link from "next/link";

/** One headline figure; `alarm` paints it red when it is not zero (leaks, CAUGHT, blocks). */
export function StatCard({ label, value, href, alarm = false }: { label: string; value: number; href?: string; alarm?: boolean }) {
  const hot = alarm && value > 0;
  const body = (
    <div className={`rounded-lg border p-4 ${hot ? "border-red-300 bg-red-50" : "border-slate-200 bg-white"}`}>
      <div className={`text-3xl font-semibold tabular-nums ${hot ? "text-red-700" : "text-slate-900"}`} data-testid={`stat-${label}`}>
        {value.toLocaleString("en-US")}
      </div>
      <div className="mt-1 text-sm text-slate-600">{label}</div>
    </div>
  );
  return href ? <Link href={href} className="block hover:opacity-90">{body}</Link> : body;
}
