import { parseQuery } from "@/lib/http/errors";
import { timelineQuerySchema } from "@/lib/api-contract/timeline";
import { sharedRoute } from "@/lib/shares/shared-route";
import { sharedTimeline } from "@/lib/shares/shared-data";

/** The shared agent's timeline, page by page; the agent comes from the share, never the request. */
export const GET = sharedRoute<{ token: string }>(async (req, share, { token }) => {
  const q = parseQuery(timelineQuerySchema, new URL(req.url).searchParams);
  return sharedTimeline(share, token, { cursor: q.cursor, limit: q.limit, kinds: q.kinds, actions: q.actions, leaksOnly: q.leaks_only, fromTs: q.from, toTs: q.to });
});
