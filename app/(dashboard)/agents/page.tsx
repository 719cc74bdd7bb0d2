import { Suspense } from "react";
import { dashboardDb } from "@/lib/http/dashboard-session";
import { agentSummaries } from "@/lib/agents/service";
import { AgentsTable } from "@/components/timeline/agents-table";

export const dynamic = "force-dynamic";
export const metadata = { title: "Agents" };

export default async function AgentsPage() {
  const agents = await agentSummaries(await dashboardDb());
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Agents</h1>
        <p className="text-sm text-slate-600">Every agent seen in intercepts, policy decisions or handoffs. Open one to see what it called, in order.</p>
      </div>
      {agents.length ? (
        <Suspense>
          <AgentsTable initial={agents} />
        </Suspense>
      ) : (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No agents yet: send records to <code>POST /api/v1/ingest</code>.</p>
      )}
    </div>
  );
}
