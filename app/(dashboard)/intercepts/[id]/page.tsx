import Link from "next/link";
import { ShareButton } from "@/components/share/share-button";
import { notFound } from "next/navigation";
import { dashboardDb } from "@/lib/http/dashboard-session";
import { decodeParam, pageParamProblems } from "@/lib/http/page-params";
import { InvalidRequest } from "@/components/ui/invalid-request";
import { getIntercept, interceptReviews } from "@/lib/intercepts/service";
import { InterceptView } from "@/components/timeline/intercept-view";
import { LeakReview } from "@/components/timeline/leak-review";

export const dynamic = "force-dynamic";
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const p = await params;
  return { title: `Recorded call ${decodeParam(p.id)}` };
}

export default async function InterceptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const problems = pageParamProblems({ id });
  if (problems.length) return <InvalidRequest details={problems} back={{ href: "/agents", label: "Show all agents" }} />;
  const conn = await dashboardDb();
  const intercept = await getIntercept(decodeParam(id), conn);
  if (!intercept) notFound();
  // A leaked call can be reviewed (confirmed, false alarm, fixed) like a CAUGHT handoff.
  const reviews = await interceptReviews(intercept, conn);
  return (
    <div className="space-y-4">
      <div className="flex items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/agents" className="underline">Agents</Link> /{" "}
            <Link href={`/agents/${encodeURIComponent(intercept.agent_id)}?event=${encodeURIComponent(intercept.id)}`} className="font-mono underline">
              {intercept.agent_id}
            </Link>{" "}
            /
          </p>
          <h1 className="text-2xl font-semibold">Recorded call</h1>
        </div>
        {/* Slot for page actions (the Share button is added here). */}
        <div data-slot="page-actions" className="flex items-center gap-2"><ShareButton resourceType="intercept" resourceId={intercept.id} /></div>
      </div>
      {intercept.leak ? <LeakReview id={intercept.id} reviews={reviews} /> : null}
      <InterceptView intercept={intercept} />
    </div>
  );
}
