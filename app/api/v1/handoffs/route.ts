// GET /api/v1/handoffs?outcome=&agent_id=&category=&cause=&review=&agreement=&day= — handoffs newest first,
// both outcomes side by side, with the counts per outcome, category, cause and review state.
import { route } from "@/lib/http/route";
import { parseQuery, presentParams } from "@/lib/http/errors";
import { listHandoffs } from "@/lib/handoffs/service";
import { handoffsQuerySchema } from "@/lib/api-contract/handoffs";

export const dynamic = "force-dynamic";

export const GET = route("read", async (req) => {
  const q = parseQuery(handoffsQuerySchema, presentParams(new URL(req.url).searchParams));
  return Response.json(await listHandoffs({ outcome: q.outcome, agentId: q.agent_id, category: q.category, cause: q.cause, review: q.review, agreement: q.agreement, day: q.day, cursor: q.cursor, limit: q.limit }));
});
