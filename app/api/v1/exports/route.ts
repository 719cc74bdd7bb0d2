// GET /api/v1/exports?agent_id=&source=&from=&to=&handoff_id= — a signed evidence bundle, streamed.
import { route } from "@/lib/http/route";
import { parseQuery } from "@/lib/http/errors";
import { getDb } from "@/lib/db/client";
import { exportQuerySchema } from "@/lib/api-contract/evidence";
import { exportBundle } from "@/lib/evidence-chain/export";
import { handoffEvidenceIds } from "@/lib/handoffs/service";
import { bundleFilename, bundleResponse } from "@/lib/http/bundle-response";

export const dynamic = "force-dynamic";

export const GET = route("read", async (req) => {
  const q = parseQuery(exportQuerySchema, new URL(req.url).searchParams);
  const conn = getDb();
  const sel = q.handoff_id !== undefined ? { handoffId: q.handoff_id } : { agentId: q.agent_id, source: q.source, fromTs: q.from, toTs: q.to };
  return bundleResponse(exportBundle(conn, sel, handoffEvidenceIds(conn)), bundleFilename(q.handoff_id ? `handoff-${q.handoff_id}` : q.agent_id ?? "all"));
});
