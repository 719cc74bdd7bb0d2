// GET /api/v1/policy-decisions — decisions with their edge (null for the older shape),
// grouped into gate evaluations, with per-policy figures.
import { route } from "@/lib/http/route";
import { parseQuery, presentParams } from "@/lib/http/errors";
import { policyDecisionsQuerySchema } from "@/lib/api-contract/policy";
import { loadPolicyDecisions } from "@/lib/policy/service";

export const dynamic = "force-dynamic";

export const GET = route("read", async (req) => {
  const query = parseQuery(policyDecisionsQuerySchema, presentParams(new URL(req.url).searchParams));
  return Response.json(await loadPolicyDecisions(query));
});
