// OTLP/HTTP traces receiver: point an OpenTelemetry exporter at
// <verdict>/api/v1/otlp (it appends /v1/traces). Protobuf or JSON, gzip or not (docs/otlp.md).
import { route } from "@/lib/http/route";
import { ApiError, decodeUtf8, parseJsonText, readBodyBytes } from "@/lib/http/errors";
import { contentEncodingOf, decodeContentEncoding } from "@/lib/http/content-encoding";
import { MAX_BODY_BYTES } from "@/lib/api-contract/ingest";
import { otlpEnvelopeSchema } from "@/lib/api-contract/otlp";
import { ingestOtlpTraces } from "@/lib/importers/otlp-ingest";
import { withIngestSlot } from "@/lib/ingest/admission";
import { decodeTraceRequest, encodeTraceResponse, PROTOBUF_CONTENT_TYPE } from "@/lib/importers/otlp-protobuf";
import { ensureLlmHostsStored } from "@/lib/ingest/classification-config";

const PROTOBUF_TYPES = [PROTOBUF_CONTENT_TYPE, "application/protobuf"];

export const POST = route("write", (req) => withIngestSlot(req, async () => {
  const type = (req.headers.get("content-type") ?? "application/json").split(";")[0].trim().toLowerCase();
  const protobuf = PROTOBUF_TYPES.includes(type);
  if (!protobuf && type !== "application/json") {
    throw new ApiError(
      415,
      "unsupported_media_type",
      `Verdict accepts OTLP/HTTP as protobuf (Content-Type: application/x-protobuf) or JSON (Content-Type: application/json), not ${type}.`,
    );
  }
  // The same 10 MiB cap on the bytes sent and on the bytes they inflate to.
  const encoding = contentEncodingOf(req);
  const bytes = await decodeContentEncoding(await readBodyBytes(req, MAX_BODY_BYTES), encoding, MAX_BODY_BYTES);
  await ensureLlmHostsStored();
  if (protobuf) {
    const result = await ingestOtlpTraces(decodeTraceRequest(bytes));
    return new Response(Buffer.from(encodeTraceResponse(result)), { headers: { "Content-Type": PROTOBUF_CONTENT_TYPE } });
  }
  // Only the envelope is checked here: a bad span is rejected alone, in partialSuccess.
  return Response.json(await ingestOtlpTraces(parseJsonText(otlpEnvelopeSchema, decodeUtf8(bytes))));
}));
