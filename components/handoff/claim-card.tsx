// One claim, side by side: what the agent claimed, and what was recorded.
import { JsonTree } from "@/components/json/json-tree";
import type { ClaimAnalysis } from "@/lib/analysis/handoff-analysis";
import type { InterceptRef } from "@/lib/api-contract/handoffs";
import { toJsonPath } from "@/lib/analysis/claim-modes";
import { OutcomeBadge } from "./outcome-badge";
import { ClaimDiff } from "./claim-diff";
import { CauseList } from "./cause-list";
import { InterceptLink } from "./intercept-link";
import type { HandoffLinks } from "./links";

const RESOLVED_BY: Record<string, string> = {
  query_record_id: "by query_record_id",
  intercept_id: "by trace_intercepts.intercept_id (the row the evaluator compared)",
  call_ref: "by call_ref (the first inserted row carrying it)",
  loader: "by the loader's rule (newest row with the tag)",
};

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="grid grid-cols-[8rem_1fr] gap-2 text-sm">
      <dt className="text-slate-500">{label}</dt>
      <dd className="min-w-0 break-all">{children}</dd>
    </div>
  );
}

export function ClaimCard({ claim, evaluatorResult, evaluatorDetail = null, intercepts, links }: { claim: ClaimAnalysis; evaluatorResult: string | null; evaluatorDetail?: string | null; intercepts: Record<string, InterceptRef>; links: HandoffLinks | null }) {
  const row = claim.resolution.intercept_id ? intercepts[claim.resolution.intercept_id] : null;
  const tool = claim.resolution.tool_call_id && claim.resolution.tool_call_id !== row?.id ? intercepts[claim.resolution.tool_call_id] : null;
  const path = claim.verification_mode === "verbatim" ? undefined : toJsonPath(claim.json_path);
  return (
    <article className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" data-testid="claim" aria-label={`Claim ${claim.index + 1}`}>
      <header className="flex flex-wrap items-center gap-2">
        <h3 className="font-semibold">Claim {claim.index + 1}</h3>
        <code className="text-xs text-slate-600">{claim.action_name ?? claim.call_ref ?? ""}</code>
        <OutcomeBadge outcome={claim.result} label="Verdict" />
        {evaluatorResult ? <OutcomeBadge outcome={evaluatorResult} label="evaluator" /> : null}
        {claim.detail ? <span className="text-xs text-slate-600">{claim.detail}</span> : null}
        {evaluatorDetail ? <span className="text-xs text-slate-600" data-testid="evaluator-detail">evaluator: {evaluatorDetail}</span> : null}
      </header>
      <div className="grid gap-4 md:grid-cols-2">
        <section aria-label="Claimed" className="space-y-1">
          <h4 className="text-xs font-semibold uppercase text-slate-500">Claimed</h4>
          <dl className="space-y-1">
            <Field label="value"><code>{JSON.stringify(claim.claimed_value)}</code></Field>
            <Field label="URL"><span className="font-mono text-xs">{claim.url ?? "—"}</span></Field>
            <Field label="mode">{claim.verification_mode}</Field>
            <Field label="json_path"><code>{claim.json_path ?? "—"}</code></Field>
            {claim.expected_json_schema !== null ? <Field label="schema"><code className="text-xs">{JSON.stringify(claim.expected_json_schema)}</code></Field> : null}
            {claim.range_min !== null || claim.range_max !== null ? <Field label="range">{claim.range_min ?? "−∞"} … {claim.range_max ?? "∞"}</Field> : null}
            {claim.query_record_id ? <Field label="query_record_id"><code>{claim.query_record_id}</code></Field> : null}
            {claim.call_ref ? <Field label="call_ref"><code className="text-xs">{claim.call_ref}</code></Field> : null}
          </dl>
        </section>
        <section aria-label="Recorded" className="space-y-1">
          <h4 className="text-xs font-semibold uppercase text-slate-500">Recorded</h4>
          <dl className="space-y-1">
            <Field label="intercept">
              {row ? (
                <>
                  <InterceptLink id={row.id} agentId={row.agent_id} links={links} />{" "}
                  <span className="text-xs text-slate-500">{claim.resolution.resolved_by ? RESOLVED_BY[claim.resolution.resolved_by] : ""}</span>
                </>
              ) : "none found"}
            </Field>
            {row ? <Field label="call"><span className="font-mono text-xs">{row.kind} · {row.action_name} · {row.method} {row.source_url}{row.is_leak ? " · leaked tag" : ""}</span></Field> : null}
            <Field label="value at path">
              {claim.value_at_path.found ? <code>{JSON.stringify(claim.value_at_path.value)}</code> : <span className="text-red-700">{claim.value_at_path.reason}</span>}
            </Field>
            <Field label="trust gate">
              {claim.trust_gate.checked_by === null ? (
                "not applied (no URL)"
              ) : claim.trust_gate.checked_by === "verdict" ? (
                <span data-testid="claim-own-trust-check">
                  {claim.trust_gate.passed ? "row's URL in the snapshot" : <span className="text-amber-800">row&apos;s URL outside the snapshot: {claim.trust_gate.url}</span>}{" "}
                  <span className="text-xs text-slate-500">(Verdict&apos;s own check; the evaluator does not gate this claim)</span>
                </span>
              ) : claim.trust_gate.passed ? (
                "passed"
              ) : (
                <span className="text-red-700">failed: {claim.trust_gate.url}</span>
              )}
            </Field>
            {claim.resolution.call_ref_rows.length > 1 ? (
              <Field label="call_ref shared">
                <span className="text-amber-800" data-testid="shared-call-ref">
                  {claim.resolution.call_ref_rows.length} rows:{" "}
                  {claim.resolution.call_ref_rows.map((id, i) => (
                    <span key={id}>
                      {i ? ", " : ""}
                      <InterceptLink id={id} agentId={intercepts[id]?.agent_id ?? ""} links={links} /> {intercepts[id] ? `(${intercepts[id].kind})` : ""}
                    </span>
                  ))}
                </span>
              </Field>
            ) : null}
            {tool ? (
              <Field label="tool call">
                <InterceptLink id={tool.id} agentId={tool.agent_id} links={links} />{" "}
                {claim.against_tool_call ? <OutcomeBadge outcome={claim.against_tool_call.result} label="against it" /> : null}
              </Field>
            ) : null}
          </dl>
        </section>
      </div>
      {claim.resolution.disagreements.length ? (
        <ul className="rounded border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900" aria-label="Resolution disagreements">
          {claim.resolution.disagreements.map((d) => <li key={d}>{d}</li>)}
        </ul>
      ) : null}
      {claim.entries ? (
        <section aria-label="Claimed values">
          <h4 className="text-xs font-semibold uppercase text-slate-500">Claimed values (compared as stripped strings)</h4>
          <div className="overflow-x-auto">{/* 390 px: the table scrolls, not the page */}
          <table className="w-full text-left text-xs">
            <thead className="text-slate-500"><tr><th>path</th><th>claimed</th><th>recorded</th><th></th></tr></thead>
            <tbody>
              {claim.entries.map((e, i) => (
                <tr key={i} className="border-t border-slate-100" data-testid="claim-entry">
                  <td className="font-mono">{e.path}</td>
                  <td className="font-mono">{JSON.stringify(e.value)}</td>
                  <td className="font-mono">{e.found ? JSON.stringify(e.recorded) : <span className="text-red-700">not found</span>}</td>
                  <td>{e.equal ? "equal" : <span className="text-red-700">differs</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
          </div>
        </section>
      ) : null}
      <section aria-label="Diff">
        <h4 className="text-xs font-semibold uppercase text-slate-500">Diff (recorded → claimed)</h4>
        <ClaimDiff diff={claim.diff} />
      </section>
      <CauseList causes={claim.causes} intercepts={intercepts} links={links} />
      {row && row.raw_response !== null ? (
        <details open={claim.result !== "PASS"}>
          <summary className="cursor-pointer text-xs text-slate-600">Recorded response{path ? ` (${path} highlighted)` : ""}</summary>
          <JsonTree value={row.raw_response} highlightPath={path} label="recorded response" />
        </details>
      ) : null}
    </article>
  );
}
