// One intercept: request and response as JSON trees with copy buttons, the response-hash
// check (a mismatch is shown, never hidden), the classification and the leak reasoning.
// Props in, no data fetching: the shared-link page renders it too (linkable=false).
import Link from "next/link";
import type { InterceptDetail, CallRef } from "@/lib/api-contract/intercepts";
import { JsonTree } from "@/components/json/json-tree";
import { CopyButton } from "@/components/ui/copy-button";
import { KIND_STYLE } from "./kind-style";
import { LeakBadge } from "./leak-badge";

function CallLink({ call, linkable }: { call: CallRef; linkable: boolean }) {
  const text = `${call.method} ${call.host}${call.path}`;
  return linkable ? (
    <Link href={`/intercepts/${encodeURIComponent(call.id)}`} className="font-mono text-xs underline" data-testid="call-link">
      {text}
    </Link>
  ) : (
    <span className="font-mono text-xs">{text}</span>
  );
}

export function InterceptView({ intercept: d, linkable = true }: { intercept: InterceptDetail; linkable?: boolean }) {
  const kind = KIND_STYLE[d.kind as keyof typeof KIND_STYLE];
  const hash = d.response_hash_check;
  const { url: _u, method: _m, ...params } = (d.request_payload && typeof d.request_payload === "object" && !Array.isArray(d.request_payload) ? d.request_payload : {}) as Record<string, unknown>;
  return (
    <div className="space-y-4">
      <section className={`space-y-1 rounded border p-3 ${d.leak ? "border-red-300 bg-red-50" : "border-slate-200 bg-white"}`} aria-label="Classification">
        <div className="flex flex-wrap items-center gap-2">
          <span className={`rounded border px-1.5 py-0.5 text-xs ${kind?.chip ?? ""}`}>{kind?.label ?? d.kind}</span>
          <span className="font-mono text-sm font-semibold">{d.method || "—"}</span>
          <span className="break-all font-mono text-sm">{d.source_url}</span>
          <CopyButton text={d.source_url} label="Copy URL" />
          {d.leak ? <LeakBadge reason={d.leak.reason} /> : null}
        </div>
        <p className="text-sm">
          Agent <code>{d.agent_id}</code> · action tag <code className="rounded bg-slate-100 px-1">{d.action_name}</code> ({d.classification.tag_status}) ·{" "}
          <time title={`${d.created_at} (UTC)`}>{d.created_at}</time>
          {d.run_id ? <> · run <code>{d.run_id}</code></> : null}
          {d.call_ref ? <> · call_ref <code>{d.call_ref}</code></> : null}
        </p>
        <p className="text-sm text-slate-700">{d.classification.explanation}</p>
        <p className="text-xs text-slate-500">
          Verdict id {d.id} · source {d.source} · source id {d.source_id ?? "—"} · recorder generation {d.generation}
        </p>
      </section>

      {d.leak || d.leaked_into.length || d.findings.length ? (
        <section aria-label="Leak analysis" className="space-y-2 rounded border border-red-200 bg-white p-3 text-sm" data-testid="leak-analysis">
          <h2 className="font-semibold">Leak analysis</h2>
          {d.leak ? (
            <div className="space-y-1">
              <p className="text-red-800">{d.leak.reason}</p>
              <p>
                The tag came from:{" "}
                {d.leak.tool_call ? <CallLink call={d.leak.tool_call} linkable={linkable} /> : <code>{d.leak.tool_intercept_id}</code>}
              </p>
            </div>
          ) : null}
          {d.findings.map((f, i) => (
            <p key={i} className="text-amber-900">{f}</p>
          ))}
          {d.leaked_into.length ? (
            <ul className="list-inside list-disc">
              {d.leaked_into.map((c) => (
                <li key={c.id}>
                  <CallLink call={c} linkable={linkable} /> <span className="text-xs text-slate-500">{c.at}</span>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}

      <section aria-label="Request" className="space-y-1">
        <h2 className="font-semibold">Request</h2>
        <JsonTree value={Object.keys(params).length ? params : d.request_payload} label="request" defaultExpandDepth={3} />
      </section>

      <section aria-label="Response" className="space-y-1">
        <div className="flex items-center gap-2">
          <h2 className="font-semibold">Response</h2>
          <span
            data-testid="hash-check"
            data-status={hash.status}
            className={`rounded px-1.5 py-0.5 text-xs font-medium ${hash.status === "match" || (hash.status === "secrets_removed" && hash.at_ingest === "match") ? "bg-emerald-100 text-emerald-800" : hash.status === "mismatch" || hash.status === "secrets_removed" ? "bg-red-600 text-white" : "bg-slate-100 text-slate-700"}`}
          >
            {hash.status === "match" ? "hash matches" : hash.status === "mismatch" ? "HASH MISMATCH" : hash.status === "secrets_removed" ? (hash.at_ingest === "match" ? "hash matched at ingest (secrets removed since)" : "HASH MISMATCH at ingest") : hash.status.replace("_", " ")}
          </span>
        </div>
        <p className="text-xs text-slate-600">
          {hash.status === "match" ? `The stored response hash matches the canonical JSON of the response (${hash.variant}).` : hash.message}
        </p>
        {hash.status === "mismatch" ? (
          <ul className="font-mono text-[11px] text-slate-600">
            <li>stored: {hash.stored}</li>
            {hash.computed.map((c) => (
              <li key={c.variant}>
                {c.hash} ← {c.variant}
              </li>
            ))}
          </ul>
        ) : null}
        {d.raw_response === null ? <p className="text-sm text-slate-500">No response recorded.</p> : <JsonTree value={d.raw_response} label="response" defaultExpandDepth={3} />}
      </section>
    </div>
  );
}
