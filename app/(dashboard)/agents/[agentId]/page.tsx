import { Suspense } from "react";
import Link from "next/link";
import { ShareButton } from "@/components/share/share-button";
import { notFound } from "next/navigation";
import { dashboardDb } from "@/lib/http/dashboard-session";
import { decodeParam, pageParamProblems } from "@/lib/http/page-params";
import { InvalidRequest } from "@/components/ui/invalid-request";
import { loadAgentPage } from "@/lib/agents/service";
import { timelineViewFromPage } from "@/lib/timeline/filter";
import { DASHBOARD_SCOPE } from "@/lib/records/record-links";
import { AgentHeader } from "@/components/timeline/agent-header";
import { AgentTimeline } from "@/components/timeline/agent-timeline";
import { TagFindings } from "@/components/timeline/tag-findings";
import { DeletionGaps } from "@/components/timeline/deletion-gaps";

export const dynamic = "force-dynamic";
export async function generateMetadata({ params }: { params: Promise<{ agentId: string }> }) {
  const p = await params;
  return { title: `Agent ${decodeParam(p.agentId)}` };
}

type Search = Record<string, string | string[] | undefined>;

export default async function AgentPage({ params, searchParams }: { params: Promise<{ agentId: string }>; searchParams: Promise<Search> }) {
  const { agentId: raw } = await params;
  const sp = await searchParams;
  const problems = pageParamProblems({ agentId: raw }, sp);
  if (problems.length) return <InvalidRequest details={problems} back={{ href: "/agents", label: "Show all agents" }} />;
  const agentId = decodeParam(raw);
  // The first page is rendered on the server with the URL's filters (a bad filter is ignored).
  const data = await loadAgentPage(await dashboardDb(), agentId, { view: timelineViewFromPage(sp), scope: DASHBOARD_SCOPE });
  if (!data.agent && data.gaps.length === 0) notFound();
  // Every record of the agent was deleted: the page says so, rather than "not found".
  if (!data.agent) {
    return (
      <div className="space-y-4">
        <p className="text-sm text-slate-500"><Link href="/agents" className="underline">Agents</Link> /</p>
        <h1 className="font-mono text-2xl font-semibold">{agentId}</h1>
        <DeletionGaps gaps={data.gaps} />
      </div>
    );
  }
  const { agent } = data;
  return (
    <div className="space-y-4">
      <AgentHeader agent={agent} scope={DASHBOARD_SCOPE} actions={<ShareButton resourceType="agent" resourceId={agentId} />} />
      <TagFindings findings={data.findings} />
      <DeletionGaps gaps={data.gaps} />
      <Suspense>
        <AgentTimeline agentId={agentId} initialPage={data.page} totalLeaks={agent.leaks} actionTags={data.actionTags} activity={data.activity} scope={DASHBOARD_SCOPE} />
      </Suspense>
    </div>
  );
}
