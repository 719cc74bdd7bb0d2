import { route } from "@/lib/http/route";
import { parseJsonBody } from "@/lib/http/errors";
import { requestActor } from "@/lib/http/actor";
import { releaseCaughtSchema } from "@/lib/api-contract/retention";
import { releaseCaught } from "@/lib/retention/holds";

export const POST = route("write", async (req) => {
  const { handoff_id, reason } = await parseJsonBody(releaseCaughtSchema, req, 16 * 1024);
  return Response.json(await releaseCaught(handoff_id, await requestActor(req), reason), { status: 201 });
});
