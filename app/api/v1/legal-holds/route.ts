import { route } from "@/lib/http/route";
import { parseJsonBody, parseQuery } from "@/lib/http/errors";
import { requestActor } from "@/lib/http/actor";
import { createLegalHoldSchema, legalHoldListQuery } from "@/lib/api-contract/retention";
import { holdsList, placeHold } from "@/lib/retention/holds";

export const GET = route("read", async (req) => {
  const q = parseQuery(legalHoldListQuery, new URL(req.url).searchParams);
  return Response.json({ legal_holds: await holdsList(q.include_released === "true") });
});

export const POST = route("write", async (req) => {
  const input = await parseJsonBody(createLegalHoldSchema, req, 16 * 1024);
  return Response.json(await placeHold(input, await requestActor(req)), { status: 201 });
});
