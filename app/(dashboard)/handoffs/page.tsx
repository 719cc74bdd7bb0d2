import { dashboardDb } from "@/lib/http/dashboard-session";
import { pageParamProblems } from "@/lib/http/page-params";
import { InvalidRequest } from "@/components/ui/invalid-request";
import { handoffAgents, listHandoffs } from "@/lib/handoffs/service";
import { HandoffList } from "@/components/handoff/handoff-list";
import { handoffFilterOf } from "@/lib/http/handoff-filter";

export const dynamic = "force-dynamic";
export const metadata = { title: "Handoffs" };

export default async function HandoffsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const problems = pageParamProblems({}, sp);
  if (problems.length) return <InvalidRequest details={problems} back={{ href: "/handoffs", label: "Show all handoffs" }} />;
  const filter = handoffFilterOf(sp);
  const conn = await dashboardDb();
  const [initial, agents] = await Promise.all([listHandoffs({ ...filter, limit: 100 }, conn), handoffAgents(conn)]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Handoffs</h1>
        <p className="text-sm text-slate-600">What agents claimed, the evaluator&apos;s verdict, Verdict&apos;s own recomputation, and why: the cause and whose fault it is (the agent, the instrumentation, or the trusted-endpoint configuration). &quot;differs&quot; marks a handoff where the two outcomes disagree; NOT EVALUATED, one whose evaluation never finished.</p>
      </div>
      <HandoffList filter={filter} agents={agents} initialData={initial} />
    </div>
  );
}
