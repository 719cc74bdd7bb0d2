// GET /api/v1/integrity — every stored record checked against the evidence chain (docs/evidence.md).
import { route } from "@/lib/http/route";
import { getDb } from "@/lib/db/client";
import { verifyIntegrity } from "@/lib/evidence-chain/integrity";
import { parseQuery } from "@/lib/http/errors";
import { integrityQuerySchema } from "@/lib/api-contract/evidence";

export const dynamic = "force-dynamic";

export const GET = route("read", async (req) => {
  parseQuery(integrityQuerySchema, new URL(req.url).searchParams);
  const h = getDb();
  return Response.json(await verifyIntegrity(h));
});
