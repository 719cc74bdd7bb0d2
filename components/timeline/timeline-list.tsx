"use client";
// The virtualized event list: only the rows on screen are in the DOM, so 100,000 events
// scroll smoothly. Leaked LLM calls get a red line in the left gutter back to the tool call
// their tag came from (when that call is loaded). Props in, no navigation: the shared-link
// page renders it read-only.
import { useVirtualizer } from "@tanstack/react-virtual";
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef } from "react";
import type { TimelineEvent } from "@/lib/api-contract/timeline";
import { EventRow, rowId } from "./event-row";

export const ROW_HEIGHT = 44;
const GUTTER = 22;

export interface TimelineListHandle {
  scrollToIndex(index: number): void;
  focus(): void;
  firstVisibleIndex(): number;
}

export interface TimelineListProps {
  events: TimelineEvent[];
  selectedId?: string | null;
  onSelect?: (id: string) => void;
  onFollowLeak?: (toolId: string) => void;
  /** Called when the reader nears the end of what is loaded. */
  onNearEnd?: () => void;
  linkable?: boolean;
  height?: number;
}

export const TimelineList = forwardRef<TimelineListHandle, TimelineListProps>(function TimelineList(
  { events, selectedId, onSelect, onFollowLeak, onNearEnd, linkable = true, height = 560 },
  ref,
) {
  const scroller = useRef<HTMLDivElement>(null);
  const v = useVirtualizer({ count: events.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  useImperativeHandle(ref, () => ({
    scrollToIndex: (i) => v.scrollToIndex(i, { align: "center" }),
    focus: () => scroller.current?.focus({ preventScroll: true }),
    firstVisibleIndex: () => v.getVirtualItems()[0]?.index ?? 0,
  }));
  const items = v.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (events.length && lastIndex >= events.length - 20) onNearEnd?.();
  }, [lastIndex, events.length, onNearEnd]);

  const indexById = useMemo(() => new Map(events.map((e, i) => [e.id, i])), [events]);
  // Lines for leaks whose span crosses the visible rows; lanes keep neighbours apart.
  const first = items[0]?.index ?? 0;
  const lines = useMemo(() => {
    const out: { from: number; to: number; lane: number; id: string }[] = [];
    events.forEach((e, i) => {
      if (!("leak" in e) || !e.leak) return;
      const j = indexById.get(e.leak.tool_intercept_id);
      if (j === undefined) return;
      out.push({ from: Math.min(i, j), to: Math.max(i, j), lane: out.length % 3, id: e.id });
    });
    return out;
  }, [events, indexById]);
  const visibleLines = lines.filter((l) => l.to >= first && l.from <= lastIndex);

  return (
    // The list is one tab stop; ↑/↓ move the selection and aria-activedescendant tells screen
    // readers which row that is (rows come and go with virtualization, so they are not tab stops).
    <div
      ref={scroller}
      role="listbox"
      tabIndex={0}
      aria-label="Timeline events (↑/↓ select, n/p next/previous leak, Enter opens, Esc closes)"
      aria-activedescendant={selectedId && indexById.has(selectedId) ? rowId(selectedId) : undefined}
      className="overflow-auto rounded border border-slate-200 bg-white focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
      style={{ height }}
      data-testid="timeline-list"
    >
      <div style={{ height: v.getTotalSize(), position: "relative" }}>
        {visibleLines.map((l) => (
          <div
            key={l.id}
            aria-hidden
            data-testid="leak-line"
            className="pointer-events-none absolute border-y-2 border-l-2 border-red-500"
            style={{ left: 3 + l.lane * 6, width: GUTTER - 6 - l.lane * 6, top: l.from * ROW_HEIGHT + ROW_HEIGHT / 2, height: (l.to - l.from) * ROW_HEIGHT, zIndex: 1 }}
          />
        ))}
        {items.map((it) => {
          const e = events[it.index];
          return (
            <div key={e.id} style={{ position: "absolute", top: 0, left: GUTTER, right: 0, height: ROW_HEIGHT, transform: `translateY(${it.start}px)` }}>
              <EventRow
                event={e}
                selected={e.id === selectedId}
                onSelect={
                  onSelect &&
                  ((id) => {
                    scroller.current?.focus({ preventScroll: true });
                    onSelect(id);
                  })
                } onFollowLeak={onFollowLeak} linkable={linkable} />
            </div>
          );
        })}
      </div>
    </div>
  );
});
