import { dashboardDb } from "@/lib/http/dashboard-session";
import { pageParamProblems } from "@/lib/http/page-params";
import { InvalidRequest } from "@/components/ui/invalid-request";
import { handoffAgents, listHandoffs } from "@/lib/db/queries/handoffs";
import { HandoffList } from "@/components/handoff/handoff-list";
import type { EvaluatorOutcome } from "@/lib/db/queries/handoffs";
import { EVALUATOR_OUTCOMES } from "@/lib/records/handoff";

export const dynamic = "force-dynamic";
export const metadata = { title: "Handoffs" };

const OUTCOMES: readonly string[] = EVALUATOR_OUTCOMES;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;

export default async function HandoffsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const sp = await searchParams;
  const problems = pageParamProblems({}, sp);
  if (problems.length) return <InvalidRequest details={problems} back={{ href: "/handoffs", label: "Show all handoffs" }} />;
  const outcomeParam = one(sp.outcome);
  // An unknown outcome in the URL is ignored rather than failing the page.
  const outcome = outcomeParam && OUTCOMES.includes(outcomeParam) ? (outcomeParam as EvaluatorOutcome) : undefined;
  const agentId = one(sp.agent_id);
  const conn = await dashboardDb();
  const [initial, agents] = await Promise.all([listHandoffs(conn, { outcome, agentId, limit: 100 }), handoffAgents(conn)]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Handoffs</h1>
        <p className="text-sm text-slate-600">What agents claimed, the evaluator&apos;s verdict, and Verdict&apos;s own recomputation. &quot;differs&quot; marks a handoff where the two disagree; NOT EVALUATED, one whose evaluation never finished.</p>
      </div>
      <HandoffList filter={{ outcome, agentId }} agents={agents} initialData={initial} />
    </div>
  );
}
