import { route } from "@/lib/http/route";
import { ApiError, readBodyText } from "@/lib/http/errors";
import { MAX_BODY_BYTES } from "@/lib/api-contract/ingest";
import { storePrepared } from "@/lib/ingest/ingest";
import { prepareIngestBody } from "@/lib/ingest/prepare-pool";
import { withIngestSlot } from "@/lib/ingest/admission";
import { ensureLlmHostsStored } from "@/lib/ingest/classification-config";

export const POST = route("write", (req) => withIngestSlot(req, async () => {
  await ensureLlmHostsStored();
  const text = await readBodyText(req, MAX_BODY_BYTES);
  const body = await prepareIngestBody(text, req.headers.get("content-type") ?? "");
  if ("problem" in body) throw new ApiError(body.problem.status, body.problem.code, body.problem.message, body.problem.details ?? []);
  const result = await storePrepared(body.prepared);
  if (result.accepted + result.duplicates === 0) {
    throw new ApiError(
      400,
      "invalid_records",
      `None of the ${result.rejected.length} records is valid; nothing was stored.`,
      result.rejected.flatMap((r) => r.errors),
    );
  }
  return Response.json(result, { status: result.rejected.length ? 207 : 200 });
}));
