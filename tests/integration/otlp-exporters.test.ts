// OpenTelemetry's own exporters, protobuf and JSON, gzip on, sending GenAI-convention spans to a
// real `next start`: what an instrumented agent does. The stored records, leak links and counts
// must be the same whichever encoding carried them, on SQLite and on PostgreSQL.
import http from "node:http";
import { readdirSync, readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { context, diag, DiagLogLevel, propagation, SpanKind, trace, type Tracer } from "@opentelemetry/api";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from "@opentelemetry/sdk-trace-base";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { CompressionAlgorithm } from "@opentelemetry/otlp-exporter-base";
import { OTLPTraceExporter as ProtobufExporter } from "@opentelemetry/exporter-trace-otlp-proto";
import { OTLPTraceExporter as JsonExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { DIALECTS, freshDatabase } from "../support/databases";
import { freePort } from "../support/postgres";
import { startServer, type ServerProcess } from "../support/server";

const KEY = "otlp-exporter-test-key-0123456789";
const ENCODINGS = ["protobuf", "json"] as const;
type Encoding = (typeof ENCODINGS)[number];

/** Forwards to the server and notes the headers each export arrived with. */
async function recordingProxy(target: string): Promise<{ url: string; seen: Record<string, string | undefined>[]; close(): void }> {
  const seen: Record<string, string | undefined>[] = [];
  const port = await freePort();
  const server = http.createServer((req, res) => {
    seen.push({ path: req.url, type: req.headers["content-type"], encoding: req.headers["content-encoding"] });
    const up = http.request(`${target}${req.url}`, { method: req.method, headers: req.headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((r) => server.listen(port, "127.0.0.1", r));
  return { url: `http://127.0.0.1:${port}`, seen, close: () => server.close() };
}

/** The spans an agent instrumented the GenAI way emits for one run. */
async function runAgent(tracer: Tracer): Promise<void> {
  await tracer.startActiveSpan("invoke_agent weather_agent", { attributes: { "gen_ai.operation.name": "invoke_agent", "gen_ai.agent.name": "weather_agent" } }, async (agent) => {
    // A tool that calls an LLM inside itself: the LLM call carries the tool's tag (the leak).
    await tracer.startActiveSpan(
      "execute_tool fetch_weather",
      { kind: SpanKind.INTERNAL, attributes: { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "fetch_weather", "gen_ai.tool.call.arguments": '{"city": "Oslo"}' } },
      async (tool) => {
        tracer.startActiveSpan("chat gpt-4o", { kind: SpanKind.CLIENT, attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 52 } }, (llm) => llm.end());
        tool.setAttribute("gen_ai.tool.call.result", '{"city": "Oslo", "temp_c": 4.5}');
        tool.end();
      },
    );
    // A correctly scoped LLM call: the agent's own reasoning step, outside any tool.
    tracer.startActiveSpan("chat sonar", { kind: SpanKind.CLIENT, attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "perplexity", "gen_ai.request.model": "sonar" } }, (llm) => llm.end());
    // An HTTP client span outside any tool: recorded, untagged.
    tracer.startActiveSpan("GET", { kind: SpanKind.CLIENT, attributes: { "http.request.method": "GET", "url.full": "https://api.weather.example.com/v1/alerts?city=Oslo", "http.response.status_code": 200 } }, (h) => h.end());
    // An LLM span Verdict cannot place (no URL, an unknown provider): rejected alone, in partial_success.
    tracer.startActiveSpan("chat in-house", { kind: SpanKind.CLIENT, attributes: { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "in-house-llm" } }, (llm) => llm.end());
    agent.end();
  });
}

async function exportWith(encoding: Encoding, endpoint: string): Promise<{ results: { code: number; error?: Error }[]; warnings: string[] }> {
  const options = { url: `${endpoint}/api/v1/otlp/v1/traces`, headers: { Authorization: `Bearer ${KEY}` }, compression: CompressionAlgorithm.GZIP };
  const exporter = encoding === "protobuf" ? new ProtobufExporter(options) : new JsonExporter(options);
  const results: { code: number; error?: Error }[] = [];
  const recording: SpanExporter = {
    export: (spans: ReadableSpan[], done) => exporter.export(spans, (r) => (results.push(r), done(r))),
    shutdown: () => exporter.shutdown(),
    forceFlush: () => exporter.forceFlush(),
  };
  const warnings: string[] = [];
  diag.setLogger({ error: (m, ...a) => warnings.push([m, ...a].join(" ")), warn: (m, ...a) => warnings.push([m, ...a].join(" ")), info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.WARN);
  const provider = new NodeTracerProvider({ resource: resourceFromAttributes({ "service.name": `weather-agent-${encoding}` }), spanProcessors: [new BatchSpanProcessor(recording)] });
  // As an agent sets it up: registered, so the active span (the tool's) is the parent of the calls made in it.
  provider.register();
  try {
    await runAgent(provider.getTracer("verdict-test", "1.0.0"));
    await provider.forceFlush();
    await provider.shutdown();
  } finally {
    diag.disable();
    trace.disable();
    context.disable();
    propagation.disable();
  }
  return { results, warnings };
}

/** Peak resident memory (VmHWM, KiB) summed over the server's process group. */
function peakMemoryKiB(pgid: number): number {
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      if (Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[2]) !== pgid) continue;
      total += Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

describe.each(DIALECTS)("OpenTelemetry exporters → next start, on %s", (dialect) => {
  let server: ServerProcess;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  const exported: Partial<Record<Encoding, Awaited<ReturnType<typeof exportWith>>>> = {};
  const get = async (path: string) => {
    const res = await fetch(`${server.url}${path}`, { headers: { Authorization: `Bearer ${KEY}` } });
    expect(res.status, path).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    server = await startServer(await freshDatabase(dialect), KEY);
    proxy = await recordingProxy(server.url);
    for (const e of ENCODINGS) exported[e] = await exportWith(e, proxy.url);
  }, 180_000);
  afterAll(async () => {
    proxy?.close();
    await server?.stop();
  });

  it("both exporters sent gzip to the traces path, each in its own encoding, and were answered with success", () => {
    expect(proxy.seen).toEqual([
      { path: "/api/v1/otlp/v1/traces", type: "application/x-protobuf", encoding: "gzip" },
      { path: "/api/v1/otlp/v1/traces", type: "application/json", encoding: "gzip" },
    ]);
    for (const e of ENCODINGS) expect(exported[e]!.results.map((r) => r.code), `${e}: ${exported[e]!.results.map((r) => r.error?.message)}`).toEqual([0]);
  });

  it("the span it cannot place comes back in partial_success, which the exporter decodes (protobuf and JSON alike)", () => {
    for (const e of ENCODINGS) {
      const partial = exported[e]!.warnings.filter((w) => w.includes("Partial Success"));
      expect(partial, `${e}: ${exported[e]!.warnings}`).toHaveLength(1);
      // protobuf's int64 may come back as a Long ({"low":1,...}); JSON's as a number or string
      expect(partial[0]).toMatch(/"rejectedSpans":("?1"?[,}]|\{"low":1,)/);
      expect(partial[0]).toContain("an LLM span needs url.full");
    }
  });

  it("stores the same records, leak links and counts for both encodings", async () => {
    const stored: Record<string, unknown[]> = {};
    for (const e of ENCODINGS) {
      const agentId = `weather-agent-${e}`;
      const page = await get(`/api/v1/agents/${agentId}/timeline?limit=100`);
      const events = page.events as { id: string; kind: string; action_name: string; host: string; path: string; llm_provider: string | null; tag_status: string; leak: { tool_intercept_id: string; reason: string } | null }[];
      const byId = new Map(events.map((ev) => [ev.id, ev]));
      stored[e] = events
        .map((ev) => ({
          kind: ev.kind,
          action_name: ev.action_name,
          call: `${ev.host}${ev.path}`,
          llm_provider: ev.llm_provider,
          tag_status: ev.tag_status,
          leak_to: ev.leak ? `${byId.get(ev.leak.tool_intercept_id)?.host}${byId.get(ev.leak.tool_intercept_id)?.path}` : null,
          leak_reason: ev.leak?.reason.replace(/\(\d{4}-[^)]+\)/g, "(time)") ?? null,
        }))
        .sort((a, b) => (a.call + a.kind < b.call + b.kind ? -1 : 1));
      const { agents } = await get("/api/v1/agents");
      const counts = agents.find((a: { agent_id: string }) => a.agent_id === agentId);
      expect(counts, e).toMatchObject({ intercepts: 4, llm_calls: 2, tool_calls: 1, untagged_calls: 1, leaks: 1 });
    }
    expect(stored.protobuf).toEqual(stored.json);
    expect(stored.protobuf).toEqual([
      { kind: "llm_call", action_name: "fetch_weather", call: "api.openai.com/v1/chat/completions", llm_provider: "OpenAI", tag_status: "leaked", leak_to: "execute_tool/fetch_weather", leak_reason: expect.stringMatching(/ran inside the tool call .*from span nesting/) },
      { kind: "llm_call", action_name: "unknown", call: "api.perplexity.ai/chat/completions", llm_provider: "Perplexity", tag_status: "untagged", leak_to: null, leak_reason: null },
      { kind: "untagged_call", action_name: "unknown", call: "api.weather.example.com/v1/alerts?city=Oslo", llm_provider: null, tag_status: "untagged", leak_to: null, leak_reason: null },
      { kind: "tool_call", action_name: "fetch_weather", call: "execute_tool/fetch_weather", llm_provider: null, tag_status: "tagged", leak_to: null, leak_reason: null },
    ]);
  });

  it("keeps the span's attributes, decoded the same from protobuf as from JSON", async () => {
    const otelOf = async (e: Encoding) => {
      const page = await get(`/api/v1/agents/weather-agent-${e}/timeline?limit=100&kinds=llm_call`);
      const leaked = page.events.find((ev: { tag_status: string }) => ev.tag_status === "leaked");
      const detail = await get(`/api/v1/intercepts/${leaked.id}`);
      return detail.extra.otel;
    };
    const [p, j] = [await otelOf("protobuf"), await otelOf("json")];
    expect(p.attributes).toEqual({ "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai", "gen_ai.request.model": "gpt-4o", "gen_ai.usage.input_tokens": 52 });
    expect(j.attributes).toEqual(p.attributes);
    expect(p.kind).toBe(3); // CLIENT, as OTLP numbers it
    expect(j.kind).toBe(p.kind);
    expect(p.action_name_from).toMatchObject({ source: "otel", span_name: "execute_tool fetch_weather" });
    expect(p.resource["service.name"]).toBe("weather-agent-protobuf");
  });

  it("hostile bodies: a gzip bomb gets 413 without the server's memory growing, bad gzip and bad protobuf 400; the next export is stored", async () => {
    // A connection of its own per request: a pooled one the server closed while idle (it keeps
    // them 5 s) would fail the write, which is not what is tested here.
    const post = (body: Buffer, type: string, encoding?: string) =>
      new Promise<{ status: number; json(): Promise<{ error: { code: string; message: string } }> }>((resolve, reject) => {
        const req = http.request(`${server.url}/api/v1/otlp/v1/traces`, {
          method: "POST",
          agent: false,
          headers: { Authorization: `Bearer ${KEY}`, "Content-Type": type, "Content-Length": body.length, ...(encoding ? { "Content-Encoding": encoding } : {}) },
        });
        req.on("response", (res) => {
          let text = "";
          res.on("data", (d) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode!, json: async () => JSON.parse(text) }));
        });
        // The server answers 413 as soon as the declared size is over the cap and closes without
        // reading the rest, so writing the rest may fail after the answer came: wait for the answer.
        req.on("error", (e) => setTimeout(() => reject(e), 2000));
        req.end(body);
      });
    // 1 GiB of zeros once inflated, 1 MiB on the wire: sixteen gzip members of 64 MiB each.
    const bomb = Buffer.concat(Array.from({ length: 16 }, () => gzipSync(Buffer.alloc(64 * 1024 * 1024))));
    const before = peakMemoryKiB(server.proc.pid!);
    for (const type of ["application/x-protobuf", "application/json"]) {
      const res = await post(bomb, type, "gzip");
      expect(res.status).toBe(413);
      expect((await res.json()).error).toMatchObject({ code: "payload_too_large", message: expect.stringMatching(/once decompressed, is larger than 10 MiB/) });
    }
    // Inflating it would take 1 GiB; the cap stops zlib at 10 MiB.
    expect(peakMemoryKiB(server.proc.pid!) - before).toBeLessThan(200 * 1024);

    // (Over 10 MiB as sent is refused before reading, which a client that is still writing may see
    // as a reset connection instead of the 413: that case is tested in otlp.test.ts, in process.)

    const notGzip = await post(Buffer.from("plain bytes"), "application/x-protobuf", "gzip");
    expect(notGzip.status).toBe(400);
    expect((await notGzip.json()).error.code).toBe("invalid_encoding");
    const notProtobuf = await post(gzipSync(Buffer.from([0x0a, 0xff, 0xff, 0x01])), "application/x-protobuf", "gzip");
    expect(notProtobuf.status).toBe(400);
    expect((await notProtobuf.json()).error.code).toBe("invalid_protobuf");
    const brotli = await post(Buffer.from("x"), "application/x-protobuf", "br");
    expect(brotli.status).toBe(415);

    // After all that, an exporter's next export is taken.
    const again = await exportWith("protobuf", server.url);
    expect(again.results.map((r) => r.code)).toEqual([0]);
    const { agents } = await get("/api/v1/agents");
    expect(agents.find((a: { agent_id: string }) => a.agent_id === "weather-agent-protobuf")).toMatchObject({ intercepts: 8, leaks: 2 });
  }, 120_000);
});
