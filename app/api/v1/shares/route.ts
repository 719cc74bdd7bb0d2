import { route } from "@/lib/http/route";
import { parseJsonBody } from "@/lib/http/errors";
import { createShareSchema } from "@/lib/api-contract/shares";
import { createShare, listShareViews } from "@/lib/shares/service";

export const POST = route("write", async (req) => {
  const input = await parseJsonBody(createShareSchema, req);
  return Response.json(await createShare(input), { status: 201 });
});

export const GET = route("read", async () => Response.json({ shares: await listShareViews() }));
