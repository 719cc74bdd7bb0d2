// POST /api/v1/otlp/v1/traces: OTLP/HTTP JSON in, OTLP's response out. The request schema
// documents the parts Verdict reads; everything else in a span is accepted and kept.
import { z } from "zod";
import type { Endpoint } from "../openapi";
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
    summary: "Receive OpenTelemetry traces (OTLP/HTTP JSON); GenAI and HTTP client spans become intercepts",
    auth: "write",
    body: otlpTracesRequestSchema,
    responses: {
      "200": { description: "Spans stored (span ids make re-sending idempotent); partialSuccess lists rejected spans", schema: otlpTracesResponseSchema },
      "400": { description: "Not JSON, or not an ExportTraceServiceRequest", schema: errorEnvelopeSchema },
      "401": { description: "Missing or wrong API key", schema: errorEnvelopeSchema },
      "413": { description: "Body over 10 MiB", schema: errorEnvelopeSchema },
      "415": { description: "Not application/json (the protobuf encoding is not accepted)", schema: errorEnvelopeSchema },
      "503": { description: "Other bodies are being stored and this one waited too long; nothing was stored, send it again after Retry-After", schema: errorEnvelopeSchema },
    },
  },
];
