"use client";
// The side panel of the selected event: what it is, and where to go from it.
import Link from "next/link";
import type { TimelineEvent } from "@/lib/db/queries/timeline";
import { KIND_STYLE } from "./kind-style";
import { LeakBadge } from "./leak-badge";

export function SelectedEvent({ event, onFollowLeak }: { event: TimelineEvent | null; onFollowLeak?: (toolId: string) => void }) {
  if (!event) return <aside className="rounded border border-dashed border-slate-300 bg-white p-3 text-sm text-slate-500">Select an event to see it here.</aside>;
  const leak = "leak" in event ? event.leak : null;
  return (
    <aside aria-label="Selected event" data-testid="selected-event" className={`space-y-2 rounded border p-3 text-sm ${leak ? "border-red-300 bg-red-50" : "border-slate-200 bg-white"}`}>
      <div className="flex items-center gap-2">
        <span className="font-semibold">{KIND_STYLE[event.kind].label}</span>
        {leak ? <LeakBadge reason={leak.reason} /> : null}
      </div>
      <p className="break-all font-mono text-xs">{event.summary}</p>
      {"action_name" in event ? (
        <p>
          Action tag <code className="rounded bg-slate-100 px-1">{event.action_name}</code> ({event.tag_status})
        </p>
      ) : null}
      <p className="text-xs text-slate-500" title="UTC">{event.at}</p>
      {leak ? (
        <div className="space-y-1">
          <p className="text-red-800">{leak.reason}</p>
          <button type="button" className="text-red-700 underline" onClick={() => onFollowLeak?.(leak.tool_intercept_id)}>
            Show the tool call the tag came from
          </button>
        </div>
      ) : null}
      {event.link ? (
        <Link href={event.link} className="inline-block text-slate-700 underline">
          Open {event.kind === "policy_decision" ? "policy decisions" : "details"} →
        </Link>
      ) : null}
    </aside>
  );
}
