import { route } from "@/lib/http/route";
import { parseQuery } from "@/lib/http/errors";
import { getDb } from "@/lib/db/client";
import { agentTimeline } from "@/lib/db/queries/timeline";
import { timelineQuerySchema } from "@/lib/api-contract/timeline";

export const GET = route<{ agentId: string }>("read", async (req, { agentId }) => {
  const q = parseQuery(timelineQuerySchema, new URL(req.url).searchParams);
  // An agent without events answers an empty page, like a filter that matches nothing.
  const page = await agentTimeline(getDb(), {
    agentId,
    cursor: q.cursor,
    limit: q.limit,
    kinds: q.kinds,
    actions: q.actions,
    leaksOnly: q.leaks_only,
    fromTs: q.from,
    toTs: q.to,
  });
  return Response.json(page);
});
