import { timelineViewFromQuery } from "@/lib/timeline/filter";
import { sharedRoute } from "@/lib/shares/shared-route";
import { sharedTimeline } from "@/lib/shares/shared-data";

/** The shared agent's timeline, page by page; the agent comes from the share, never the request. */
export const GET = sharedRoute<{ token: string }>(async (req, share, { token }) => sharedTimeline(share, token, timelineViewFromQuery(new URL(req.url).searchParams)));
