import { notFound } from "next/navigation";
import { dashboardDb } from "@/lib/http/dashboard-session";
import { decodeParam, pageParamProblems } from "@/lib/http/page-params";
import { InvalidRequest } from "@/components/ui/invalid-request";
import { getHandoffDetail, handoffNeighbours } from "@/lib/handoffs/service";
import { handoffFilterOf } from "@/lib/http/handoff-filter";
import { HandoffDetailView } from "@/components/handoff/handoff-detail-view";
import { HandoffNav } from "@/components/handoff/handoff-nav";
import { HandoffReviewControls } from "@/components/handoff/handoff-review-controls";
import { DASHBOARD_LINKS } from "@/components/handoff/links";
import { ShareButton } from "@/components/share/share-button";

export const dynamic = "force-dynamic";
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const p = await params;
  return { title: `Handoff ${decodeParam(p.id)}` };
}

export default async function HandoffPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { id } = await params;
  const sp = await searchParams;
  const problems = pageParamProblems({ id }, sp);
  if (problems.length) return <InvalidRequest details={problems} back={{ href: "/handoffs", label: "Show all handoffs" }} />;
  const conn = await dashboardDb();
  // The list's filter travels in the URL, so previous / next stay within it.
  const filter = handoffFilterOf(sp);
  const [handoff, neighbours] = await Promise.all([getHandoffDetail(id, {}, conn), handoffNeighbours(id, filter, conn)]);
  if (!handoff) notFound();
  const query = new URLSearchParams(Object.entries({ outcome: filter.outcome, agent_id: filter.agentId, category: filter.category, cause: filter.cause, review: filter.review }).filter((e): e is [string, string] => !!e[1])).toString();
  const reviewable = handoff.evaluator_outcome === "CAUGHT" || handoff.verdict_outcome === "CAUGHT";
  return (
    <div className="space-y-3">
      <HandoffDetailView
        handoff={handoff}
        links={DASHBOARD_LINKS}
        nav={<HandoffNav query={query} newer={neighbours.newer} older={neighbours.older} filtered={query !== ""} />}
        actions={<ShareButton resourceType="handoff" resourceId={handoff.id} />}
        reviewControls={reviewable ? <HandoffReviewControls id={handoff.id} /> : null}
      />
    </div>
  );
}
