// An agent's page as a share link shows it: the dashboard's heading and timeline, read
// through the token's own endpoints, with links only to this agent's intercepts.
import { Suspense } from "react";
import type { AgentPage } from "@/lib/agents/service";
import type { LinkScope } from "@/lib/records/record-links";
import { AgentHeader } from "@/components/timeline/agent-header";
import { AgentTimeline } from "@/components/timeline/agent-timeline";

export function SharedAgentView({ data, scope }: { data: AgentPage; scope: LinkScope }) {
  if (!data.agent) return <p>This agent has no records.</p>;
  return (
    <div className="space-y-4">
      <AgentHeader agent={data.agent} scope={scope} />
      <Suspense>
        <AgentTimeline agentId={data.agentId} initialPage={data.page} totalLeaks={data.agent.leaks} actionTags={data.actionTags} activity={data.activity} scope={scope} />
      </Suspense>
    </div>
  );
}
