import { route } from "@/lib/http/route";
import { ApiError, readBodyText } from "@/lib/http/errors";
import { MAX_BODY_BYTES, parseIngestBody } from "@/lib/records/ingest-request";
import { ingestRecords } from "@/lib/ingest/ingest";

export const POST = route("write", async (req) => {
  const text = await readBodyText(req, MAX_BODY_BYTES);
  const parsed = parseIngestBody(text, req.headers.get("content-type") ?? "");
  if ("status" in parsed) throw new ApiError(parsed.status, parsed.code, parsed.message, parsed.details ?? []);
  const result = await ingestRecords(parsed.records);
  if (result.accepted + result.duplicates === 0) {
    throw new ApiError(
      400,
      "invalid_records",
      `None of the ${result.rejected.length} records is valid; nothing was stored.`,
      result.rejected.flatMap((r) => r.errors),
    );
  }
  return Response.json(result, { status: result.rejected.length ? 207 : 200 });
});
