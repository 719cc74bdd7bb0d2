// OTLP/HTTP traces receiver: point an OpenTelemetry exporter at
// <verdict>/api/v1/otlp (it appends /v1/traces). JSON encoding only.
import { route } from "@/lib/http/route";
import { ApiError, parseJsonBody } from "@/lib/http/errors";
import { MAX_BODY_BYTES } from "@/lib/records/ingest-request";
import { otlpEnvelopeSchema } from "@/lib/api-contract/otlp";
import { ingestOtlpTraces } from "@/lib/importers/otlp-ingest";
import { ensureLlmHostsStored } from "@/lib/ingest/classification-config";

export const POST = route("write", async (req) => {
  const type = (req.headers.get("content-type") ?? "application/json").split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Verdict accepts OTLP/HTTP in the JSON encoding only (Content-Type: application/json), not ${type}. Set the exporter's protocol to http/json (OTEL_EXPORTER_OTLP_PROTOCOL=http/json).`,
    );
  }
  // Only the envelope is checked here: a bad span is rejected alone, in partialSuccess.
  const body = await parseJsonBody(otlpEnvelopeSchema, req, MAX_BODY_BYTES);
  await ensureLlmHostsStored();
  return Response.json(await ingestOtlpTraces(body));
});
