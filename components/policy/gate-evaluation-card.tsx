// One tool call as the gate evaluated it: arguments, every edge's callback, the outcome,
// and the plain-language diagnostic when older-shape invocations cannot be told apart.
import Link from "next/link";
import type { GateEvaluationWire } from "@/lib/api-contract/policy";
import { JsonTree } from "@/components/json/json-tree";
import { EdgeTable } from "./edge-table";
import { FailClosedBadge, GateOutcomeBadge } from "./gate-outcome-badge";

export const policyCallHref = (g: Pick<GateEvaluationWire, "call_key" | "id">) => `/policy/calls/${g.call_key}#evaluation-${encodeURIComponent(g.id)}`;

export function GateEvaluationCard({ evaluation: g, matchedIds, showCallLink = true }: { evaluation: GateEvaluationWire; matchedIds?: ReadonlySet<string>; showCallLink?: boolean }) {
  return (
    <article id={`evaluation-${g.id}`} data-testid="gate-evaluation" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <header className="flex flex-wrap items-center gap-2">
        <GateOutcomeBadge outcome={g.outcome} />
        {g.fail_closed ? <FailClosedBadge /> : null}
        <span className="font-mono text-sm font-semibold">{g.tool_call.tool_name}</span>
        <span className="text-xs text-slate-500">
          by <Link className="font-mono text-blue-700 underline" href={`/agents/${encodeURIComponent(g.agent_id)}`}>{g.agent_id}</Link> at {g.first_at.replace("T", " ").slice(0, 23)}
        </span>
        <span className="text-xs text-slate-500">
          {g.invocations.length} {g.invocations.length === 1 ? "invocation" : "invocations"}, {g.failed_callbacks} fired
          {g.raised_callbacks ? `, ${g.raised_callbacks} raised` : ""}
        </span>
        {showCallLink ? (
          <Link href={policyCallHref(g)} className="ml-auto text-sm text-blue-700 underline">
            Open call
          </Link>
        ) : null}
      </header>
      {g.outcome?.reason ? <p className="whitespace-pre-line text-sm text-slate-700">Reason: {g.outcome.reason}</p> : null}
      {g.outcome?.action === "PENDING" ? (
        <p className="text-sm text-sky-900" data-testid="pending">
          The gate asked for confirmation{g.outcome.confirmation_message ? `: “${g.outcome.confirmation_message}”` : ""}. Without a confirmation handler the guard blocks the call (“Confirmation required, no handler”).
        </p>
      ) : null}
      {g.raised_callbacks && !g.outcome ? (
        <p className="text-sm text-amber-900" data-testid="raised-note">
          A callback raised: in these releases the exception escapes the guard, so the tool call did not run and the gate recorded no outcome.
        </p>
      ) : null}
      {g.outcome?.violations?.length ? (
        <p className="text-sm text-slate-700" data-testid="violations">
          Violations: {g.outcome.violations.map((v) => `${v.policy}${v.callback_result?.message ? ` (${v.callback_result.message})` : ""}`).join("; ")}
        </p>
      ) : null}
      {g.diagnostics.map((x) => (
        <p key={x.decision_ids.join(",")} role="note" data-testid="indistinguishable" className="rounded border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          {x.message}. The older context shape was built once per tool call and reused for every edge, so which edge each result belongs to is not recorded.
        </p>
      ))}
      <EdgeTable invocations={g.invocations} matchedIds={matchedIds} />
      <details>
        <summary className="cursor-pointer text-xs text-slate-600">Arguments</summary>
        <JsonTree value={{ call_args: g.tool_call.call_args, call_kwargs: g.tool_call.call_kwargs }} label="arguments" defaultExpandDepth={3} />
      </details>
    </article>
  );
}
