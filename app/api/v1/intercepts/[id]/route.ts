import { route } from "@/lib/http/route";
import { notFound } from "@/lib/http/errors";
import { getDb } from "@/lib/db/client";
import { getIntercept } from "@/lib/db/queries/intercepts";

export const GET = route<{ id: string }>("read", async (_req, { id }) => {
  const intercept = await getIntercept(getDb(), id);
  if (!intercept) throw notFound(`Intercept ${id}`);
  return Response.json(intercept);
});
