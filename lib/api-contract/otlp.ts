// POST /api/v1/otlp/v1/traces: OTLP/HTTP in (protobuf or JSON, gzip or not), OTLP's response
// out in the same encoding. The request schema documents the parts Verdict reads (the JSON
// encoding; protobuf carries the same fields); everything else in a span is accepted and kept.
import { z } from "zod";
import type { Endpoint } from "./endpoint";
import { errorEnvelopeSchema } from "../http/errors";

const keyValue = z.looseObject({ key: z.string(), value: z.unknown().describe("OTLP AnyValue, e.g. {\"stringValue\": \"chat\"}") });

const spanSchema = z.looseObject({
  traceId: z.string().describe("16 bytes, hex"),
  spanId: z.string().describe("8 bytes, hex"),
  parentSpanId: z.string().optional(),
  name: z.string().optional(),
  kind: z.number().int().optional(),
  startTimeUnixNano: z.union([z.string(), z.number()]).describe("the intercept's created_at (microseconds kept)"),
  endTimeUnixNano: z.union([z.string(), z.number()]).optional(),
  attributes: z
    .array(keyValue)
    .optional()
    .describe("gen_ai.operation.name, gen_ai.tool.name, gen_ai.agent.id / gen_ai.agent.name, verdict.action_name, http.request.method, url.full, server.address, gen_ai.provider.name / gen_ai.system"),
});

export const otlpTracesRequestSchema = z.looseObject({
  resourceSpans: z.array(
    z.looseObject({
      resource: z.looseObject({ attributes: z.array(keyValue).optional().describe("service.name (the agent when no gen_ai.agent.* is set), verdict.source") }).optional(),
      scopeSpans: z.array(z.looseObject({ scope: z.unknown().optional(), spans: z.array(spanSchema) })).optional(),
    }),
  ),
});

/** What the route checks before mapping: the ExportTraceServiceRequest envelope. */
export const otlpEnvelopeSchema = z.looseObject({ resourceSpans: z.array(z.unknown()) });

export const otlpTracesResponseSchema = z.object({
  partialSuccess: z
    .object({ rejectedSpans: z.number().int(), errorMessage: z.string() })
    .optional()
    .describe("present when some spans could not be stored; the others were"),
});

export const OTLP_ENDPOINTS: Endpoint[] = [
  {
    method: "post",
    path: "/api/v1/otlp/v1/traces",
    summary:
      "Receive OpenTelemetry traces (OTLP/HTTP, protobuf or JSON, Content-Encoding gzip or none); GenAI and HTTP client spans become intercepts, a span without a tag takes its execute_tool ancestor's (docs/otlp.md)",
    auth: "write",
    body: otlpTracesRequestSchema,
    binaryBodies: [
      {
        contentType: "application/x-protobuf",
        description: "opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest (request) / ExportTraceServiceResponse (answer), as the OTLP exporters' http/protobuf protocol sends",
      },
    ],
    responses: {
      "200": { description: "Spans stored (span ids make re-sending idempotent); partialSuccess lists rejected spans. Answered in the request's encoding", schema: otlpTracesResponseSchema },
      "400": { description: "Not JSON or not protobuf, not an ExportTraceServiceRequest, or not valid gzip", schema: errorEnvelopeSchema },
      "401": { description: "Missing or wrong API key", schema: errorEnvelopeSchema },
      "413": { description: "Body over 10 MiB as sent, or over 10 MiB once decompressed", schema: errorEnvelopeSchema },
      "415": { description: "Neither application/x-protobuf nor application/json, or a Content-Encoding other than gzip / deflate", schema: errorEnvelopeSchema },
      "503": { description: "Other bodies are being stored and this one waited too long; nothing was stored, send it again after Retry-After", schema: errorEnvelopeSchema },
    },
  },
];
