import { route } from "@/lib/http/route";
import { notFound } from "@/lib/http/errors";
import { getIntercept } from "@/lib/intercepts/service";

export const GET = route<{ id: string }>("read", async (_req, { id }) => {
  const intercept = await getIntercept(id);
  if (!intercept) throw notFound(`Intercept ${id}`);
  return Response.json(intercept);
});
