// POST /api/v1/reviews — mark CAUGHT handoffs or leaked intercepts (write key; the history
// records the key's name). GET /api/v1/reviews?subject_type=&subject_id= — one record's history.
import { route } from "@/lib/http/route";
import { parseJsonBody, parseQuery, presentParams } from "@/lib/http/errors";
import { apiKeyName, bearerToken } from "@/lib/http/auth";
import { createReviewsSchema, reviewHistoryQuerySchema } from "@/lib/api-contract/reviews";
import { markReviewed, reviewsOf } from "@/lib/reviews/service";

export const dynamic = "force-dynamic";

export const POST = route("write", async (req) => {
  const input = await parseJsonBody(createReviewsSchema, req);
  // route("write") let only a valid key through, so it has a name.
  const actor = (await apiKeyName(bearerToken(req) ?? "")) ?? "API key";
  return Response.json({ reviews: await markReviewed(input, actor) }, { status: 201 });
});

export const GET = route("read", async (req) => {
  const q = parseQuery(reviewHistoryQuerySchema, presentParams(new URL(req.url).searchParams));
  return Response.json({ reviews: await reviewsOf(q.subject_type, q.subject_id) });
});
