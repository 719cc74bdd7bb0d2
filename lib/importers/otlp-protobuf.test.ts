import { describe, expect, it } from "vitest";
import { SpanKind } from "@opentelemetry/api";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { JsonTraceSerializer, ProtobufTraceSerializer } from "@opentelemetry/otlp-transformer";
import { decodeTraceRequest, encodeTraceResponse } from "./otlp-protobuf";
import { mapOtlpTraces } from "./otlp";
import { ApiError } from "../http/errors";

/** Real SDK spans, as an exporter would hand them to its serializer. */
function sdkSpans() {
  const memory = new InMemorySpanExporter();
  const provider = new BasicTracerProvider({ resource: resourceFromAttributes({ "service.name": "svc" }), spanProcessors: [new SimpleSpanProcessor(memory)] });
  const tracer = provider.getTracer("t");
  const tool = tracer.startSpan("execute_tool fetch_weather", { attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "fetch_weather", "app.retry_count": 3, "app.ratio": 0.5, "app.flags": [true, false] } });
  const ctx = (tool as unknown as { spanContext(): { traceId: string; spanId: string } }).spanContext();
  tracer.startSpan("chat", { kind: SpanKind.CLIENT, attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.usage.input_tokens": 9007199254740 } }, trace_with(ctx)).end();
  tool.end();
  return memory.getFinishedSpans();
}

// A context whose active span is the tool span, without the async-hooks context manager.
import { context, trace } from "@opentelemetry/api";
function trace_with(ctx: { traceId: string; spanId: string }) {
  return trace.setSpanContext(context.active(), { traceId: ctx.traceId, spanId: ctx.spanId, traceFlags: 1 });
}

const expectApiError = (f: () => unknown, status: number, code: string) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toMatchObject({ status, code });
    return;
  }
  throw new Error("expected an ApiError");
};

describe("OTLP protobuf", () => {
  it("decodes what the OpenTelemetry serializer encodes to the same spans as its JSON encoding", () => {
    const spans = sdkSpans();
    const fromProtobuf = mapOtlpTraces(decodeTraceRequest(ProtobufTraceSerializer.serializeRequest(spans)!));
    const fromJson = mapOtlpTraces(JSON.parse(new TextDecoder().decode(JsonTraceSerializer.serializeRequest(spans)!)));
    expect(fromProtobuf.spans.map((s) => s.record)).toEqual(fromJson.spans.map((s) => s.record));
    const byName = (n: string) => fromProtobuf.spans.map((s) => s.record!).find((r) => r.otel.name === n)!;
    const [tool, llm] = [byName("execute_tool fetch_weather"), byName("chat")];
    expect(tool.otel.attributes).toEqual({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "fetch_weather", "app.retry_count": 3, "app.ratio": 0.5, "app.flags": [true, false] });
    expect(llm).toMatchObject({ action_name: "fetch_weather", otel: { kind: 3, attributes: { "gen_ai.usage.input_tokens": 9007199254740 } } });
    expect(llm.id).toMatch(/^[0-9a-f]{32}:[0-9a-f]{16}$/);
  });

  it("refuses bytes that are not an ExportTraceServiceRequest with 400, and takes an empty one", () => {
    const good = ProtobufTraceSerializer.serializeRequest(sdkSpans())!;
    expectApiError(() => decodeTraceRequest(good.subarray(0, good.length - 7)), 400, "invalid_protobuf"); // truncated
    expectApiError(() => decodeTraceRequest(new TextEncoder().encode('{"resourceSpans": []}')), 400, "invalid_protobuf"); // JSON sent as protobuf
    expectApiError(() => decodeTraceRequest(new Uint8Array([0, 1])), 400, "invalid_protobuf"); // field number 0
    expectApiError(() => decodeTraceRequest(new Uint8Array([0xff, 0xff, 0xff])), 400, "invalid_protobuf");
    expect(decodeTraceRequest(new Uint8Array())).toEqual({ resourceSpans: [] });
  });

  it("a hostile nesting depth is a 400 or a rejected span, never a crash", () => {
    // Hand-built wire bytes: no encoder would nest an AnyValue 200,000 levels deep.
    const varint = (n: number) => {
      const out: number[] = [];
      for (; n > 0x7f; n >>>= 7) out.push((n & 0x7f) | 0x80);
      out.push(n);
      return out;
    };
    const field = (num: number, body: number[] | Buffer) => Buffer.concat([Buffer.from([(num << 3) | 2, ...varint(body.length)]), Buffer.from(body)]);
    const deepValue = (depth: number): Buffer => {
      // lengths bottom-up, then one buffer written top-down: AnyValue{kvlist{values: KeyValue{"k", AnyValue{...}}}}
      const inner = [0x0a, 0x01, 0x78];
      const kv: number[] = [], kvl: number[] = [], av: number[] = [inner.length];
      for (let i = 1; i <= depth; i++) {
        kv[i] = 4 + varint(av[i - 1]).length + av[i - 1];
        kvl[i] = 1 + varint(kv[i]).length + kv[i];
        av[i] = 1 + varint(kvl[i]).length + kvl[i];
      }
      const out = Buffer.alloc(av[depth]);
      let at = 0;
      const put = (bytes: number[]) => bytes.forEach((b) => (out[at++] = b));
      for (let i = depth; i >= 1; i--) put([0x32, ...varint(kvl[i]), 0x0a, ...varint(kv[i]), 0x0a, 0x01, 0x6b, 0x12, ...varint(av[i - 1])]);
      put(inner);
      return out;
    };
    for (const depth of [100, 200_000]) {
      const attribute = Buffer.concat([field(1, Buffer.from("deep")), field(2, deepValue(depth))]);
      const fixed64 = Buffer.alloc(8);
      fixed64.writeBigUInt64LE(1794650400000000000n);
      const kvString = (key: string, value: string) => Buffer.concat([field(1, Buffer.from(key)), field(2, field(1, Buffer.from(value)))]);
      const op = kvString("gen_ai.operation.name", "execute_tool");
      const tool = kvString("gen_ai.tool.name", "t");
      const span = Buffer.concat([field(1, Buffer.alloc(16, 1)), field(2, Buffer.alloc(8, 2)), Buffer.from([0x39]), fixed64, field(9, op), field(9, tool), field(9, attribute)]);
      const request = field(1, field(2, field(2, span)));
      let outcome: string;
      try {
        const m = mapOtlpTraces(decodeTraceRequest(request));
        outcome = m.spans[0].error ?? "stored";
      } catch (e) {
        expect(e).toMatchObject({ status: 400, code: "invalid_protobuf" });
        outcome = "400";
      }
      expect(outcome, `depth ${depth}`).toMatch(depth === 100 ? /nested deeper than 64 levels/ : /^(400|an attribute value is nested deeper than 64 levels)$/);
    }
  });

  it("answers an ExportTraceServiceResponse the exporter reads, with partial_success when spans were rejected", () => {
    expect(encodeTraceResponse({})).toHaveLength(0);
    const back = ProtobufTraceSerializer.deserializeResponse(encodeTraceResponse({ partialSuccess: { rejectedSpans: 2, errorMessage: "spans.0: bad" } }));
    expect(Number(back.partialSuccess!.rejectedSpans)).toBe(2);
    expect(back.partialSuccess!.errorMessage).toBe("spans.0: bad");
  });
});
