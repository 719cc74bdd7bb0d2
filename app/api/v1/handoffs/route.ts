// GET /api/v1/handoffs?outcome=&agent_id=&category=&cause=&review=&agreement=&day= — handoffs newest first,
// both outcomes side by side, with the counts per outcome, category, cause and review state.
import { route } from "@/lib/http/route";
import { ApiError, parseQuery, presentParams } from "@/lib/http/errors";
import { getDb } from "@/lib/db/client";
import { listHandoffs } from "@/lib/db/queries/handoffs";
import { handoffsQuerySchema } from "@/lib/api-contract/handoffs";

export const dynamic = "force-dynamic";

export const GET = route("read", async (req) => {
  const q = parseQuery(handoffsQuerySchema, presentParams(new URL(req.url).searchParams));
  const page = await listHandoffs(getDb(), { outcome: q.outcome, agentId: q.agent_id, category: q.category, cause: q.cause, review: q.review, agreement: q.agreement, day: q.day, cursor: q.cursor, limit: q.limit });
  if (!page) throw new ApiError(400, "invalid_request", "Some query parameters are not valid.", [{ path: "cursor", message: "not a cursor this API returned" }]);
  return Response.json(page);
});
