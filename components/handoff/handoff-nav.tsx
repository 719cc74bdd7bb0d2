// Back to the list, and the previous (newer) / next (older) handoff within the list's filter.
import Link from "next/link";

export function HandoffNav({ query, newer, older, filtered }: { query: string; newer: string | null; older: string | null; filtered: boolean }) {
  const href = (id: string) => `/handoffs/${encodeURIComponent(id)}${query ? `?${query}` : ""}`;
  const off = "text-slate-600";
  return (
    <nav aria-label="Handoff navigation" className="flex flex-wrap items-center gap-4 text-sm">
      <Link href={`/handoffs${query ? `?${query}` : ""}`} className="text-blue-700 underline">← {filtered ? "Back to the filtered list" : "All handoffs"}</Link>
      <span className="flex gap-3">
        {newer ? <Link href={href(newer)} className="text-blue-700 underline" rel="prev" data-testid="newer-handoff">‹ Previous (newer)</Link> : <span className={off}>‹ Previous</span>}
        {older ? <Link href={href(older)} className="text-blue-700 underline" rel="next" data-testid="older-handoff">Next (older) ›</Link> : <span className={off}>Next ›</span>}
      </span>
    </nav>
  );
}
