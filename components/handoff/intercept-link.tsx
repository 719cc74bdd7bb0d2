import Link from "next/link";
import type { HandoffLinks } from "./links";

/** An intercept id, linked to the intercept and to its moment in the agent timeline when links are on. */
export function InterceptLink({ id, agentId, links }: { id: string; agentId?: string; links: HandoffLinks | null }) {
  if (!links) return <code className="text-xs">{id}</code>;
  return (
    <span className="inline-flex items-center gap-2">
      <Link href={links.intercept(id)} className="font-mono text-xs text-blue-700 underline">{id}</Link>
      {agentId ? (
        <Link href={links.timeline(agentId, id)} className="text-xs text-blue-700 underline" data-testid="timeline-link">in timeline</Link>
      ) : null}
    </span>
  );
}
