// An agent's timeline as a share link shows it: the same timeline, read through the
// token's own endpoint, with links only to this agent's intercepts.
import { Suspense } from "react";
import type { OpenShare } from "@/lib/shares/service";
import { sharedAgentOverview } from "@/lib/shares/shared-data";
import { AgentTimeline } from "@/components/timeline/agent-timeline";

export async function SharedAgentView({ share, token }: { share: OpenShare; token: string }) {
  const { agentId, agent, page, actionTags, activity } = await sharedAgentOverview(share, token);
  if (!agent || !page) return <p>This agent has no records.</p>;
  return (
    <div className="space-y-4">
      <div>
        <h1 className="font-mono text-2xl font-semibold">{agentId}</h1>
        <p className="text-sm text-slate-600">
          {agent.intercepts} calls ({agent.tool_calls} tool, {agent.llm_calls} LLM, {agent.untagged_calls} untagged), {agent.policy_decisions} policy decisions, {agent.handoffs} handoffs
        </p>
      </div>
      <Suspense>
        <AgentTimeline agentId={agentId} initialPage={page} totalLeaks={agent.leaks} actionTags={actionTags} activity={activity}
          endpoint={`/api/s/${token}/timeline`} interceptBase={`/s/${token}/intercepts/`}
          detailBase={`/api/s/${token}/intercepts/`} handoffBase={null} />
      </Suspense>
    </div>
  );
}
