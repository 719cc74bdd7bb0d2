// GET /api/v1/handoffs/{id} — the payload (secret removed), the evaluator's result, and
// Verdict's analysis: per claim the intercept it rests on, value at path, diff, trust gate, causes.
import { route } from "@/lib/http/route";
import { notFound } from "@/lib/http/errors";
import { getHandoffDetail } from "@/lib/handoffs/service";

export const dynamic = "force-dynamic";

export const GET = route<{ id: string }>("read", async (_req, { id }) => {
  const detail = await getHandoffDetail(id);
  if (!detail) throw notFound("Handoff");
  return Response.json(detail);
});
