import { notFound } from "next/navigation";
import Link from "next/link";
import { dashboardDb } from "@/lib/http/dashboard-session";
import { decodeParam, pageParamProblems } from "@/lib/http/page-params";
import { InvalidRequest } from "@/components/ui/invalid-request";
import { getHandoffDetail } from "@/lib/db/queries/handoffs";
import { HandoffDetailView } from "@/components/handoff/handoff-detail-view";
import { DASHBOARD_LINKS } from "@/components/handoff/links";
import { ShareButton } from "@/components/share/share-button";

export const dynamic = "force-dynamic";
export async function generateMetadata({ params }: { params: Promise<{ id: string }> }) {
  const p = await params;
  return { title: `Handoff ${decodeParam(p.id)}` };
}

export default async function HandoffPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const problems = pageParamProblems({ id });
  if (problems.length) return <InvalidRequest details={problems} back={{ href: "/handoffs", label: "Show all handoffs" }} />;
  const handoff = await getHandoffDetail(await dashboardDb(), id);
  if (!handoff) notFound();
  return (
    <div className="space-y-3">
      <Link href="/handoffs" className="text-sm text-blue-700 underline">← All handoffs</Link>
      <HandoffDetailView handoff={handoff} links={DASHBOARD_LINKS} actions={<ShareButton resourceType="handoff" resourceId={handoff.id} />} />
    </div>
  );
}
