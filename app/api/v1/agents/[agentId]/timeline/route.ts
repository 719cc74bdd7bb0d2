import { route } from "@/lib/http/route";
import { getDb } from "@/lib/db/client";
import { timelineViewFromQuery } from "@/lib/timeline/filter";
import { timelinePage } from "@/lib/timeline/service";

export const GET = route<{ agentId: string }>("read", async (req, { agentId }) => {
  const view = timelineViewFromQuery(new URL(req.url).searchParams);
  // An agent without events answers an empty page, like a filter that matches nothing.
  return Response.json(await timelinePage(getDb(), { ...view, agentId }));
});
