"use client";
// One line of the timeline. Tool, LLM and untagged calls differ in colour and symbol;
// a leaked LLM call is red, with its badge and a link back to the tool call.
import Link from "next/link";
import type { TimelineEvent } from "@/lib/api-contract/timeline";
import { KIND_STYLE } from "./kind-style";
import { LeakBadge } from "./leak-badge";
import { EventTime } from "./event-time";

const TAG_STATUS_STYLE = { tagged: "text-slate-600", untagged: "text-amber-800 font-medium", leaked: "text-red-700 font-semibold" } as const;

/**
 * An LLM call outside every tool's scope is recorded as "unknown": that is correct scoping,
 * not a fault, so it reads as a neutral "no tool tag" (a tool call without a tag stays amber).
 */
export function noToolTag(e: { kind: string; tag_status: string }): boolean {
  return e.kind === "llm_call" && e.tag_status === "untagged";
}

/** The DOM id of an event's row (the list points at it with aria-activedescendant). */
export const rowId = (eventId: string) => `event-${eventId}`;

export function EventRow({
  event,
  selected,
  onSelect,
  onFollowLeak,
  linkable = true,
}: {
  event: TimelineEvent;
  selected: boolean;
  onSelect?: (id: string) => void;
  onFollowLeak?: (toolId: string) => void;
  linkable?: boolean;
}) {
  const style = KIND_STYLE[event.kind];
  const leaked = "leak" in event && event.leak;
  return (
    <div
      role="option"
      id={rowId(event.id)}
      aria-selected={selected}
      data-testid="timeline-event"
      data-kind={event.kind}
      data-event-id={event.id}
      data-leak={leaked ? "true" : undefined}
      onClick={() => onSelect?.(event.id)}
      className={`flex h-full cursor-pointer items-center gap-2 overflow-hidden border-b px-2 text-sm ${
        leaked ? "border-red-200 bg-red-50" : "border-slate-100 bg-white"
      } ${selected ? "outline outline-2 -outline-offset-2 outline-slate-900" : "hover:bg-slate-50"}`}
    >
      <EventTime at={event.at} />
      {/* Below 640 px the kind is its symbol alone (the label stays for screen readers and on hover). */}
      <span title={style.label} className={`inline-flex shrink-0 items-center gap-1 rounded border px-1.5 py-0.5 text-xs sm:w-28 ${leaked ? "border-red-400 bg-red-100 text-red-800" : style.chip}`}>
        <span aria-hidden>{style.symbol}</span>
        <span className="sr-only sm:not-sr-only">{style.label}</span>
      </span>
      <Body event={event} />
      {leaked ? (
        <span className="ml-auto flex shrink-0 items-center gap-2">
          <LeakBadge reason={event.leak!.reason} />
          {onFollowLeak ? (
            <button
              type="button"
              onClick={(e) => {
                e.stopPropagation();
                onFollowLeak(event.leak!.tool_intercept_id);
              }}
              className="text-xs font-medium text-red-700 underline"
            >
              ↑ tool call
            </button>
          ) : null}
        </span>
      ) : null}
      {linkable && event.link ? (
        <Link href={event.link} onClick={(e) => e.stopPropagation()} className={`${leaked ? "" : "ml-auto"} shrink-0 text-xs text-slate-600 underline hover:text-slate-900`}>
          open
        </Link>
      ) : null}
    </div>
  );
}

function Body({ event }: { event: TimelineEvent }) {
  if (event.kind === "policy_decision") {
    const blocked = event.action === "BLOCK";
    return (
      <span className="min-w-0 truncate">
        <span className="font-mono text-xs">{event.tool_name}</span>{" "}
        <span className="text-slate-600">{event.policy_name ?? "policy"}</span>{" "}
        <span className="text-slate-500">{event.edge ? `${event.edge.source} → ${event.edge.target}` : "(edge not recorded)"}</span>{" "}
        {event.passed === null ? (
          <span className="font-medium text-amber-800">raised</span>
        ) : (
          <span className={event.passed === false ? "font-medium text-red-700" : "text-emerald-700"}>{event.passed === false ? "fired" : "passed"}</span>
        )}
        {event.action ? <span className={`ml-1 rounded px-1 text-xs ${blocked ? "bg-red-600 text-white" : event.action === "PENDING" ? "bg-sky-100 text-sky-900" : "bg-emerald-100 text-emerald-800"}`}>{event.action}</span> : null}
      </span>
    );
  }
  if (event.kind === "handoff") {
    const outcome = event.evaluator_outcome ?? event.verdict_outcome;
    return (
      <span className="min-w-0 truncate">
        <span className="text-slate-700">{event.task ?? "Handoff"}</span>{" "}
        {outcome ? <span className={`rounded px-1 text-xs font-semibold ${outcome === "CAUGHT" ? "bg-red-600 text-white" : outcome === "PASS" ? "bg-emerald-100 text-emerald-800" : "bg-amber-100 text-amber-900"}`}>{outcome}</span> : null}
      </span>
    );
  }
  return (
    <span className="flex min-w-0 flex-1 items-center gap-2 overflow-hidden">
      <span className="hidden w-12 shrink-0 font-mono text-xs font-semibold sm:inline">{event.method || "—"}</span>
      <span className="min-w-0 truncate font-mono text-xs" title={`${event.host}${event.path}`}>
        <span className="text-slate-900">{event.host}</span>
        <span className="text-slate-500">{event.path}</span>
      </span>
      {noToolTag(event) ? (
        <span className="shrink-0 text-xs text-slate-600" data-testid="tag-status" title={`action tag "${event.action_name}": an LLM call outside any tool's scope`}>
          no tool tag
        </span>
      ) : (
        <>
          <span className="min-w-0 max-w-[45%] shrink truncate rounded bg-slate-100 px-1 font-mono text-xs" title="action tag">{event.action_name}</span>
          {/* On a phone the LEAK badge says it already; the word would only push the row's links out. */}
          <span className={`shrink-0 text-xs ${TAG_STATUS_STYLE[event.tag_status]} ${event.tag_status === "leaked" ? "max-sm:sr-only" : ""}`} data-testid="tag-status">{event.tag_status}</span>
        </>
      )}
    </span>
  );
}
