import { dashboardDb } from "@/lib/http/dashboard-session";
import { overviewCounts } from "@/lib/db/queries/overview";
import { StatCard } from "@/components/ui/stat-card";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  const c = await overviewCounts(await dashboardDb());
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Overview</h1>
        <p className="text-sm text-slate-600">What your agents called, which calls carried the wrong tag, and which claims were caught.</p>
      </div>
      {c.intercepts + c.handoffs + c.policyDecisions === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">
          No records yet. Send some to <code>POST /api/v1/ingest</code> (see the README), or start Verdict with <code>npm run demo</code>.
        </p>
      ) : null}
      <section aria-label="Counts" className="grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-5">
        <StatCard label="Agents" value={c.agents} href="/agents" />
        <StatCard label="Recorded calls" value={c.intercepts} href="/agents" />
        <StatCard label="LLM calls" value={c.llmCalls} />
        <StatCard label="Tag leaks" value={c.leaks} href="/agents" alarm />
        <StatCard label="Untagged calls" value={c.untaggedCalls} alarm />
        <StatCard label="Handoffs" value={c.handoffs} href="/handoffs" />
        <StatCard label="CAUGHT verdicts" value={c.caught} href="/handoffs?outcome=CAUGHT" alarm />
        <StatCard label="Policy decisions" value={c.policyDecisions} href="/policy" />
        <StatCard label="Blocked tool calls" value={c.blocks} href="/policy?action=BLOCK" alarm />
      </section>
    </div>
  );
}
