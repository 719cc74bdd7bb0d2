import { route } from "@/lib/http/route";
import { parseJsonBody } from "@/lib/http/errors";
import { storedRetentionSchema } from "@/lib/api-contract/retention";
import { currentRetention, storeRetention } from "@/lib/retention/holds";

export const GET = route("read", async () => Response.json(await currentRetention()));

export const POST = route("write", async (req) => {
  const input = await parseJsonBody(storedRetentionSchema, req, 64 * 1024);
  return Response.json(await storeRetention(input));
});
