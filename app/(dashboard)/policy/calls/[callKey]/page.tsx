import Link from "next/link";
import { notFound } from "next/navigation";
import { dashboardDb } from "@/lib/http/dashboard-session";
import { policyDecisionsQuerySchema } from "@/lib/api-contract/policy";
import { loadPolicyDecisions } from "@/lib/policy/service";
import { GateEvaluationCard } from "@/components/policy/gate-evaluation-card";
import { JsonTree } from "@/components/json/json-tree";

export const dynamic = "force-dynamic";
export const metadata = { title: "Policy-gated tool call" };

/** One tool call (agent, tool, arguments) and every time the gate evaluated it, newest first. */
export default async function PolicyCallPage({ params }: { params: Promise<{ callKey: string }> }) {
  const conn = await dashboardDb();
  const { callKey } = await params;
  const parsed = policyDecisionsQuerySchema.safeParse({ call_key: callKey, limit: "1000" });
  if (!parsed.success) notFound();
  const data = await loadPolicyDecisions(parsed.data, conn);
  const first = data.groups[0];
  if (!first) notFound();
  return (
    <div className="space-y-4">
      <Link href="/policy" className="text-sm text-blue-700 underline">← Policy decisions</Link>
      <div>
        <h1 className="text-2xl font-semibold">
          Tool call <span className="font-mono">{first.tool_call.tool_name}</span>
        </h1>
        <p className="text-sm text-slate-600">
          by <Link className="font-mono text-blue-700 underline" href={`/agents/${encodeURIComponent(first.agent_id)}`}>{first.agent_id}</Link>, evaluated{" "}
          {data.groups.length === 1 ? "once" : `${data.groups.length} times`} ({data.decisions.length} callback invocations).
        </p>
      </div>
      <section aria-label="Arguments" className="space-y-1">
        <h2 className="text-lg font-semibold">Arguments</h2>
        <p className="text-xs text-slate-500">Values under keys named like a password, token, secret, API key or authorization were removed at ingest.</p>
        <JsonTree value={{ call_args: first.tool_call.call_args, call_kwargs: first.tool_call.call_kwargs }} label="arguments" defaultExpandDepth={4} />
      </section>
      <section aria-label="Gate evaluations" className="space-y-3">
        <h2 className="text-lg font-semibold">Gate evaluations</h2>
        {data.groups.map((g) => (
          <GateEvaluationCard key={g.id} evaluation={g} showCallLink={false} />
        ))}
      </section>
    </div>
  );
}
