// An agent page's heading: the agent's id and its counts. The dashboard links the blocked
// tool calls to the policy list and names its CAUGHT verdicts; a shared view, whose links
// reach neither, gives the counts alone.
import Link from "next/link";
import type { AgentSummary } from "@/lib/api-contract/timeline";
import { recordLinks, type LinkScope } from "@/lib/records/record-links";

export function AgentHeader({ agent, scope, actions }: { agent: AgentSummary; scope: LinkScope; actions?: React.ReactNode }) {
  const dashboard = scope.kind === "dashboard";
  const blocked = recordLinks(scope).policyDecisions(agent.agent_id, "BLOCK");
  const heading = (
    <div>
      {dashboard ? (
        <p className="text-sm text-slate-500">
          <Link href="/agents" className="underline">Agents</Link> /
        </p>
      ) : null}
      <h1 className="font-mono text-2xl font-semibold">{agent.agent_id}</h1>
      <p className="text-sm text-slate-600">
        {agent.intercepts} calls ({agent.tool_calls} tool, {agent.llm_calls} LLM, {agent.untagged_calls} untagged), {agent.policy_decisions} policy decisions
        {blocked ? (
          <>
            {" ("}
            <Link href={blocked} className={agent.blocks ? "font-semibold text-red-700 underline" : "underline"} data-testid="agent-blocks">
              {agent.blocks} {agent.blocks === 1 ? "tool call" : "tool calls"} blocked
            </Link>
            {")"}
          </>
        ) : null}
        , {agent.handoffs} handoffs
        {dashboard && agent.caught ? <span className="ml-1 font-semibold text-red-700">({agent.caught} CAUGHT)</span> : null}
      </p>
    </div>
  );
  if (!actions) return heading;
  return (
    <div className="flex items-start justify-between gap-4">
      {heading}
      {/* Slot for page actions (the Share button sits here). */}
      <div data-slot="page-actions" className="flex items-center gap-2">{actions}</div>
    </div>
  );
}
