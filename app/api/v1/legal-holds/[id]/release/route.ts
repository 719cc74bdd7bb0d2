import { route } from "@/lib/http/route";
import { parseJsonBody } from "@/lib/http/errors";
import { requestActor } from "@/lib/http/actor";
import { releaseSchema } from "@/lib/api-contract/retention";
import { releaseHold } from "@/lib/retention/holds";

export const POST = route<{ id: string }>("write", async (req, { id }) => {
  const { reason } = await parseJsonBody(releaseSchema, req, 16 * 1024);
  return Response.json(await releaseHold(id, await requestActor(req), reason));
});
