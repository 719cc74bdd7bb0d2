import { dashboardDb } from "@/lib/http/dashboard-session";
import { needsAttention, overviewCounts } from "@/lib/overview/service";
import { NeedsAttention } from "@/components/overview/needs-attention";
import { now } from "@/lib/clock";
import { StatCard } from "@/components/ui/stat-card";
import { failingAlertRules } from "@/lib/alerts/service";
import Link from "next/link";
import { listDeletions } from "@/lib/db/queries/deletions";
import { gapSentence } from "@/lib/records/deletion-gap";

export const dynamic = "force-dynamic";
export const metadata = { title: "Overview" };

export default async function OverviewPage() {
  // The session is checked before anything is read (dashboardDb).
  const db = await dashboardDb();
  const [c, failing, attention, deletions] = await Promise.all([overviewCounts(db), failingAlertRules(), needsAttention(db, now().getTime() * 1000), listDeletions(db, 3)]);
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">Overview</h1>
        <p className="text-sm text-slate-600">What your agents called, which calls carried the wrong tag, and which claims were caught.</p>
      </div>
      {failing.length ? (
        <p role="alert" data-testid="failing-alerts" className="rounded border border-red-300 bg-red-50 p-3 text-sm text-red-800">
          {failing.length === 1 ? `The alert rule "${failing[0].name}" keeps failing to deliver.` : `${failing.length} alert rules keep failing to deliver.`}{" "}
          <Link href="/alerts" className="underline">See the delivery log</Link>
        </p>
      ) : null}
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
      <NeedsAttention data={attention} />
      {deletions.length ? (
        <section aria-label="Recent deletions" className="text-sm text-slate-600">
          <ul>
            {deletions.map((d) => (
              <li key={d.id} data-testid="recent-deletion">
                {gapSentence({ actor: d.actor, at: d.at, records: d.counts.intercepts + d.counts.policy_decisions + d.counts.handoffs })}
                {d.held ? `; ${d.held} kept on legal hold` : ""}
              </li>
            ))}
          </ul>
          <Link href="/settings" className="underline">Deletion log and legal holds</Link>
        </section>
      ) : null}
    </div>
  );
}
