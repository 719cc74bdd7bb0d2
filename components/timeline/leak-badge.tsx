/** The red mark of a leaked call; the reason is in the title and for screen readers. */
export function LeakBadge({ reason }: { reason?: string }) {
  return (
    <span
      data-testid="leak-badge"
      title={reason}
      className="inline-flex items-center rounded bg-red-600 px-1.5 py-0.5 text-[10px] font-bold uppercase tracking-wide text-white"
    >
      Leak
    </span>
  );
}
