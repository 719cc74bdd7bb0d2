// The OTLP/HTTP protobuf encoding (Content-Type: application/x-protobuf), what the Python and
// Go SDKs and the Collector send. Decoded with the protobufjs code OpenTelemetry generated from
// the official opentelemetry-proto definitions, shipped in @opentelemetry/otlp-transformer
// (0.215.0, the last release that ships it; pinned for that reason), rather than a decoder of
// our own: the wire format has enough corners (packed fields, unknown fields, 64-bit ints)
// that a kept, generated one is the safer reader of hostile bytes.
//
// The decoded request is turned into the OTLP/JSON shape (ids as base64, 64-bit ints as
// strings, enums as numbers), so both encodings go through the one mapping (otlp.ts).
import root from "@opentelemetry/otlp-transformer/build/src/generated/root";
import { ApiError } from "../http/errors";
import type { OtlpResponse } from "./otlp-ingest";

// The generated module's typings declare only a protobufjs Root; these are the parts used.
interface Message<T = object> {
  decode(bytes: Uint8Array): T;
  encode(message: object): { len: number; finish(): Uint8Array };
  toObject(message: T, options: object): Record<string, unknown>;
}
type Generated = { opentelemetry: { proto: { collector: { trace: { v1: { ExportTraceServiceRequest: Message; ExportTraceServiceResponse: Message } } } } } };
const trace = (root as unknown as Generated).opentelemetry.proto.collector.trace.v1;

export const PROTOBUF_CONTENT_TYPE = "application/x-protobuf";

/** ExportTraceServiceRequest bytes → its OTLP/JSON form; 400 when the bytes are not one. */
export function decodeTraceRequest(bytes: Uint8Array): { resourceSpans: unknown[] } {
  let message: object;
  let object: { resourceSpans?: unknown[] };
  try {
    message = trace.ExportTraceServiceRequest.decode(bytes);
    // Empty repeated fields are left out, as the JSON encoding leaves them out.
    object = trace.ExportTraceServiceRequest.toObject(message, { longs: String, bytes: String, enums: Number });
  } catch (e) {
    // Truncated or invalid wire data; a stack overflow from absurd nesting lands here too.
    const why = e instanceof RangeError && /call stack/.test(e.message) ? "values are nested too deep to read" : (e as Error).message;
    throw new ApiError(400, "invalid_protobuf", `The body is not a protobuf ExportTraceServiceRequest: ${why}.`);
  }
  object.resourceSpans ??= [];
  // protobuf skips fields it does not know: bytes that held none of the request's fields
  // (JSON sent as protobuf, random data) decode to an empty request. That is not an export.
  if (bytes.length > 0 && object.resourceSpans.length === 0 && trace.ExportTraceServiceRequest.encode(message).len === 0) {
    throw new ApiError(400, "invalid_protobuf", `The body (${bytes.length} bytes) holds no field of an ExportTraceServiceRequest (resource_spans, field 1): it is not OTLP protobuf.`);
  }
  return object as { resourceSpans: unknown[] };
}

/** The answer to a protobuf request, in protobuf: ExportTraceServiceResponse. */
export function encodeTraceResponse(response: OtlpResponse): Uint8Array {
  return trace.ExportTraceServiceResponse.encode(response.partialSuccess ? { partialSuccess: response.partialSuccess } : {}).finish();
}
