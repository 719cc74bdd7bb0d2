"use client";
// The side panel of the selected event: what it is, its ids (each with a copy button), and
// the evidence itself: a call's request and response, a handoff's causes with what each
// claim said against what was recorded. The details load when the event is selected.
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { TimelineEvent } from "@/lib/api-contract/timeline";
import type { RecordLinks } from "@/lib/records/record-links";
import type { InterceptDetail } from "@/lib/api-contract/intercepts";
import type { HandoffDetail } from "@/lib/api-contract/handoffs";
import { getJson } from "@/lib/hooks/fetch-json";
import { interceptKey } from "@/lib/hooks/use-intercept";
import { JsonTree } from "@/components/json/json-tree";
import { CopyButton } from "@/components/ui/copy-button";
import { KIND_STYLE } from "./kind-style";
import { LeakBadge } from "./leak-badge";
import { noToolTag } from "./event-row";

export function SelectedEvent({
  event,
  onFollowLeak,
  onClose,
  links,
}: {
  event: TimelineEvent | null;
  onFollowLeak?: (toolId: string) => void;
  onClose?: () => void;
  /** where the panel reads a call's request and response and a handoff's causes (a share reads calls through its token, and no handoffs) */
  links: RecordLinks;
}) {
  if (!event) return <aside className="rounded border border-dashed border-slate-300 bg-white p-3 text-sm text-slate-600">Select an event to see it here (or use ↑/↓).</aside>;
  const leak = "leak" in event ? event.leak : null;
  const ids: [string, string | null][] = [
    ["Verdict id", event.id],
    ["source id", event.source_id],
    ["run_id", "run_id" in event ? event.run_id : null],
    ["call_ref", "call_ref" in event ? event.call_ref : null],
  ];
  return (
    <aside aria-label="Selected event" data-testid="selected-event" className={`min-w-0 space-y-2 rounded border p-3 text-sm ${leak ? "border-red-300 bg-red-50" : "border-slate-200 bg-white"}`}>
      <div className="flex items-center gap-2">
        <span className="font-semibold">{KIND_STYLE[event.kind].label}</span>
        {leak ? <LeakBadge reason={leak.reason} /> : null}
        {onClose ? (
          <button type="button" onClick={onClose} aria-label="Close (Esc)" className="ml-auto rounded px-1.5 text-slate-700 hover:bg-slate-100">
            ✕
          </button>
        ) : null}
      </div>
      <p className="break-all font-mono text-xs">{event.summary}</p>
      {"action_name" in event ? (
        noToolTag(event) ? (
          <p data-testid="no-tool-tag">
            No tool tag <span className="text-slate-600">(recorded as <code>{event.action_name}</code>): an LLM call outside any tool&apos;s scope, which is correct.</span>
          </p>
        ) : (
          <p>
            Action tag <code className="rounded bg-slate-100 px-1">{event.action_name}</code> ({event.tag_status})
          </p>
        )
      ) : null}
      <p className="text-xs text-slate-600" title="UTC">{event.at}</p>
      <dl className="space-y-1 text-xs" aria-label="Ids" data-testid="event-ids">
        {ids.map(([label, value]) =>
          value ? (
            <div key={label} className="flex items-center gap-2">
              <dt className="w-20 shrink-0 text-slate-600">{label}</dt>
              <dd className="min-w-0 flex-1 truncate font-mono" title={value}>{value}</dd>
              <CopyButton text={value} label={`Copy ${label}`} />
            </div>
          ) : null,
        )}
      </dl>
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
          Open {event.kind === "policy_decision" ? "policy decisions" : "details"} → <span className="text-xs text-slate-600">(Enter)</span>
        </Link>
      ) : null}
      {event.kind.endsWith("_call") ? <CallEvidence id={event.id} url={links.interceptApi(event.id)} /> : null}
      {event.kind === "handoff" && links.handoffApi(event.id) ? <HandoffCauses id={event.id} url={links.handoffApi(event.id)!} /> : null}
    </aside>
  );
}

function CallEvidence({ id, url }: { id: string; url: string }) {
  const { data, isError } = useQuery({ queryKey: [...interceptKey(id), url], queryFn: () => getJson<InterceptDetail>(url) });
  if (isError) return <p className="text-xs text-red-700">Could not load the request and response.</p>;
  if (!data) return <p className="text-xs text-slate-600">Loading the request and response…</p>;
  return (
    <div className="space-y-2">
      <section aria-label="Request" className="space-y-1">
        <h3 className="text-xs font-semibold uppercase text-slate-600">Request</h3>
        <p className="break-all font-mono text-xs">
          {data.method} {data.source_url}
        </p>
        <JsonTree value={data.request_payload} label="request" defaultExpandDepth={2} />
      </section>
      <section aria-label="Response" className="space-y-1">
        <h3 className="text-xs font-semibold uppercase text-slate-600">Response</h3>
        {data.raw_response === null ? <p className="text-xs text-slate-600">No response recorded.</p> : <JsonTree value={data.raw_response} label="response" defaultExpandDepth={2} />}
      </section>
    </div>
  );
}

const show = (v: unknown) => (v === undefined || v === null ? "—" : JSON.stringify(v));

function HandoffCauses({ id, url }: { id: string; url: string }) {
  const { data, isError } = useQuery({ queryKey: ["handoff", id], queryFn: () => getJson<HandoffDetail>(url) });
  if (isError) return <p className="text-xs text-red-700">Could not load the handoff.</p>;
  if (!data) return <p className="text-xs text-slate-600">Loading the handoff…</p>;
  const { causes, claims } = data.analysis;
  return (
    <div className="space-y-2" data-testid="handoff-causes">
      <p>
        Verdict: <strong>{data.verdict_outcome ?? "—"}</strong>
        {data.evaluator_outcome ? <> · evaluator: <strong>{data.evaluator_outcome}</strong></> : null}
        {data.disagrees ? <span className="ml-1 font-medium text-amber-800">(they disagree)</span> : null}
      </p>
      {causes.length ? (
        <section aria-label="Cause" className="space-y-1">
          <h3 className="text-xs font-semibold uppercase text-slate-600">Cause</h3>
          <ul className="space-y-1">
            {causes.map((c) => (
              <li key={c.code} className="rounded border border-red-200 bg-white p-2 text-xs">
                <code className="font-semibold text-red-800">{c.code}</code> <span className="text-slate-800">{c.explanation}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section aria-label="Claimed vs recorded" className="space-y-1">
        <h3 className="text-xs font-semibold uppercase text-slate-600">Claimed vs recorded</h3>
        <div className="overflow-x-auto">
          <table className="w-full text-left text-xs">
            <thead className="text-slate-600">
              <tr>
                <th className="pr-2 font-medium">claim</th>
                <th className="pr-2 font-medium">claimed</th>
                <th className="pr-2 font-medium">recorded</th>
                <th className="font-medium">result</th>
              </tr>
            </thead>
            <tbody className="font-mono">
              {claims.map((c) => (
                <tr key={c.index} className="border-t border-slate-200 align-top" data-testid="claim-row">
                  <td className="pr-2">{c.action_name ?? c.call_ref ?? c.index + 1}</td>
                  <td className="break-all pr-2">{show(c.claimed_value)}</td>
                  <td className="break-all pr-2">{c.value_at_path.found ? show(c.value_at_path.value) : <span className="font-sans text-red-700">{c.value_at_path.reason ?? "not found"}</span>}</td>
                  <td className={`font-sans font-semibold ${c.result === "CAUGHT" ? "text-red-700" : c.result === "PASS" ? "text-emerald-800" : "text-amber-800"}`}>{c.result}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>
    </div>
  );
}
