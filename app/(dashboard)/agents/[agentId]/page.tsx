import { Suspense } from "react";
import Link from "next/link";
import { ShareButton } from "@/components/share/share-button";
import { notFound } from "next/navigation";
import { dashboardDb } from "@/lib/http/dashboard-session";
import { decodeParam, pageParamProblems } from "@/lib/http/page-params";
import { InvalidRequest } from "@/components/ui/invalid-request";
import { agentActivity, agentTagUses, claimedActionNames, getAgent } from "@/lib/db/queries/agents";
import { agentTimeline } from "@/lib/db/queries/timeline";
import { timelineQuerySchema } from "@/lib/api-contract/timeline";
import { tagFindings } from "@/lib/analysis/leaks";
// Not from the hooks module: a "use client" module exports only client references to a server component.
import { PAGE_SIZE } from "@/lib/records/timeline-kinds";
import { AgentTimeline } from "@/components/timeline/agent-timeline";
import { TagFindings } from "@/components/timeline/tag-findings";
import { DeletionGaps } from "@/components/timeline/deletion-gaps";
import { agentGaps } from "@/lib/db/queries/deletions";

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
  const conn = await dashboardDb();
  const [agent, gaps] = await Promise.all([getAgent(conn, agentId), agentGaps(conn.db, conn.dialect, agentId)]);
  if (!agent && gaps.length === 0) notFound();
  // Every record of the agent was deleted: the page says so, rather than "not found".
  if (!agent) {
    return (
      <div className="space-y-4">
        <p className="text-sm text-slate-500"><Link href="/agents" className="underline">Agents</Link> /</p>
        <h1 className="font-mono text-2xl font-semibold">{agentId}</h1>
        <DeletionGaps gaps={gaps} />
      </div>
    );
  }
  // The first page is rendered on the server with the URL's filters (a bad filter is ignored).
  const flat = new URLSearchParams(Object.entries(sp).flatMap(([k, v]) => (typeof v === "string" && k !== "cursor" && k !== "limit" ? [[k, v]] : [])));
  const parsed = timelineQuerySchema.safeParse(Object.fromEntries(flat));
  const q = parsed.success ? parsed.data : timelineQuerySchema.parse({});
  const [page, uses, claimed, activity] = await Promise.all([
    agentTimeline(conn, { agentId, limit: PAGE_SIZE, kinds: q.kinds, actions: q.actions, leaksOnly: q.leaks_only, fromTs: q.from, toTs: q.to }),
    agentTagUses(conn, agentId),
    claimedActionNames(conn, agentId),
    agentActivity(conn, agentId),
  ]);
  const actionTags = [...new Set(uses.map((u) => u.actionName))].sort();
  return (
    <div className="space-y-4">
      <div className="flex items-start justify-between gap-4">
        <div>
          <p className="text-sm text-slate-500">
            <Link href="/agents" className="underline">Agents</Link> /
          </p>
          <h1 className="font-mono text-2xl font-semibold">{agentId}</h1>
          <p className="text-sm text-slate-600">
            {agent.intercepts} calls ({agent.tool_calls} tool, {agent.llm_calls} LLM, {agent.untagged_calls} untagged), {agent.policy_decisions} policy decisions (
            <Link href={`/policy?agent_id=${encodeURIComponent(agentId)}&action=BLOCK`} className={agent.blocks ? "font-semibold text-red-700 underline" : "underline"} data-testid="agent-blocks">
              {agent.blocks} {agent.blocks === 1 ? "tool call" : "tool calls"} blocked
            </Link>
            ), {agent.handoffs} handoffs
            {agent.caught ? <span className="ml-1 font-semibold text-red-700">({agent.caught} CAUGHT)</span> : null}
          </p>
        </div>
        {/* Slot for page actions (the Share button is added here). */}
        <div data-slot="page-actions" className="flex items-center gap-2"><ShareButton resourceType="agent" resourceId={agentId} /></div>
      </div>
      <TagFindings findings={tagFindings(uses, claimed)} />
      <DeletionGaps gaps={gaps} />
      <Suspense>
        <AgentTimeline agentId={agentId} initialPage={page} totalLeaks={agent.leaks} actionTags={actionTags} activity={activity} />
      </Suspense>
    </div>
  );
}
