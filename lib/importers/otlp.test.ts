import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { anyValue, mapOtlpTraces, nanosToIso, spanIdHex } from "./otlp";
import { classifyCall, LLM_PROVIDERS, llmProviderOf } from "../analysis/classify-call";

const fixture = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../../tests/fixtures/import/otlp-leak.json"), "utf8"));

const span = (attrs: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  resourceSpans: [
    {
      resource: { attributes: [{ key: "service.name", value: { stringValue: "svc" } }] },
      scopeSpans: [
        {
          spans: [
            {
              traceId: "0af7651916cd43dd8448eb211c80319c",
              spanId: "b7ad6b7169203331",
              startTimeUnixNano: "1794650400000000000",
              attributes: Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } })),
              ...extra,
            },
          ],
        },
      ],
    },
  ],
});

describe("mapOtlpTraces", () => {
  it("maps the tool span and the LLM span, skips the agent span", () => {
    const m = mapOtlpTraces(fixture);
    expect(m.skipped).toBe(1);
    expect(m.spans.map((s) => s.error)).toEqual([undefined, undefined]);
    const [tool, llm] = m.spans.map((s) => s.record!);
    expect(tool).toMatchObject({
      id: "5b8efff798038103d269b633813fc60c:bbbbbbbbbbbbbbb2",
      source: "otel",
      agent_id: "otel_weather_agent",
      action_name: "fetch_weather",
      source_url: "https://api.weather.example.com/v1/current?city=Oslo",
      request_payload: { url: "https://api.weather.example.com/v1/current?city=Oslo", method: "GET" },
      raw_response: { city: "Oslo", temp_c: 4.5 },
      created_at: "2026-11-14T10:00:01.123456Z",
    });
    expect(llm).toMatchObject({ action_name: "fetch_weather", source_url: "https://api.openai.com/v1/chat/completions", created_at: "2026-11-14T10:00:02.000001Z" });
    // unknown attributes are kept
    expect(tool.otel).toMatchObject({ attributes: { "app.retry_count": 0 }, resource: { "deployment.environment": "staging" }, parent_span_id: "aaaaaaaaaaaaaaa1" });
    expect(classifyCall({ agentId: llm.agent_id as string, actionName: llm.action_name as string, sourceUrl: llm.source_url as string }).kind).toBe("llm_call");
    expect(classifyCall({ agentId: tool.agent_id as string, actionName: tool.action_name as string, sourceUrl: tool.source_url as string }).kind).toBe("tool_call");
  });

  it("takes agent_id from gen_ai.agent.id, then gen_ai.agent.name, then service.name", () => {
    const a = { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t" };
    expect(mapOtlpTraces(span({ ...a, "gen_ai.agent.id": "id1", "gen_ai.agent.name": "n1" })).spans[0].record!.agent_id).toBe("id1");
    expect(mapOtlpTraces(span({ ...a, "gen_ai.agent.name": "n1" })).spans[0].record!.agent_id).toBe("n1");
    expect(mapOtlpTraces(span(a)).spans[0].record!).toMatchObject({ agent_id: "svc", source_url: "otel://execute_tool/t", action_name: "t" });
  });

  it("maps HTTP client spans, untagged unless verdict.action_name says otherwise", () => {
    const m = mapOtlpTraces(span({ "http.request.method": "POST", "url.full": "https://api.example.com/x" }));
    expect(m.spans[0].record).toMatchObject({ action_name: "unknown", source_url: "https://api.example.com/x", request_payload: { method: "POST" } });
  });

  it("builds an LLM URL from server.address, and rejects an LLM span it cannot place", () => {
    expect(mapOtlpTraces(span({ "gen_ai.operation.name": "chat", "server.address": "api.anthropic.com" })).spans[0].record!.source_url).toBe("https://api.anthropic.com/");
    expect(mapOtlpTraces(span({ "gen_ai.operation.name": "embeddings", "gen_ai.system": "openai" })).spans[0].record!.source_url).toBe("https://api.openai.com/v1/embeddings");
    expect(mapOtlpTraces(span({ "gen_ai.operation.name": "chat", "gen_ai.system": "my-own-llm" })).spans[0].error).toMatch(/LLM span needs url.full/);
  });

  it("places every provider it knows on an LLM host of the one list (perplexity included)", () => {
    const names = LLM_PROVIDERS.flatMap((r) => r.otel?.names ?? []);
    expect(names).toContain("perplexity");
    for (const name of names) {
      for (const op of ["chat", "embeddings"]) {
        const url = mapOtlpTraces(span({ "gen_ai.operation.name": op, "gen_ai.provider.name": name })).spans[0].record!.source_url as string;
        expect(llmProviderOf(url), `${name} ${op} → ${url}`).not.toBeNull();
      }
    }
    const perplexity = mapOtlpTraces(span({ "gen_ai.operation.name": "chat", "gen_ai.system": "perplexity" })).spans[0].record!;
    expect(classifyCall({ agentId: "a", actionName: "unknown", sourceUrl: perplexity.source_url as string })).toEqual({ kind: "llm_call", llmProvider: "Perplexity" });
  });

  it("rejects a span whose attribute nests deeper than a record may (even deep enough to exhaust the stack), keeps the others", () => {
    const deep = (depth: number) => {
      let v: unknown = { stringValue: "x" };
      for (let i = 0; i < depth; i++) v = { kvlistValue: { values: [{ key: "k", value: v }] } };
      return v;
    };
    for (const depth of [65, 100_000]) {
      const body = span({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t" });
      const s0 = body.resourceSpans[0].scopeSpans[0].spans[0] as { attributes: unknown[] };
      s0.attributes.push({ key: "deep", value: deep(depth) });
      const ok = { ...body.resourceSpans[0].scopeSpans[0].spans[0], spanId: "b7ad6b7169203332", attributes: s0.attributes.slice(0, 2) };
      body.resourceSpans[0].scopeSpans[0].spans.push(ok as never);
      const m = mapOtlpTraces(body);
      expect(m.spans[0]).toEqual({ path: "resourceSpans.0.scopeSpans.0.spans.0", error: "an attribute value is nested deeper than 64 levels" });
      expect(m.spans[1].record).toBeDefined();
    }
    expect(mapOtlpTraces(span({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "t" }, { attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "execute_tool" } }, { key: "gen_ai.tool.name", value: { stringValue: "t" } }, { key: "ok", value: deep(60) }] })).spans[0].record).toBeDefined();
  });

  it("rejects spans without ids or start time, by their path", () => {
    const m = mapOtlpTraces(span({ "http.request.method": "GET", "url.full": "https://x.example/" }, { spanId: "zz", startTimeUnixNano: "1" }));
    expect(m.spans[0]).toMatchObject({ path: "resourceSpans.0.scopeSpans.0.spans.0", error: expect.stringMatching(/spanId/) });
    const late = mapOtlpTraces(span({ "http.request.method": "GET", "url.full": "https://x.example/" }, { startTimeUnixNano: "abc" }));
    expect(late.spans[0].error).toMatch(/startTimeUnixNano/);
  });
});

describe("the action tag inherited from the execute_tool span", () => {
  const T = "0af7651916cd43dd8448eb211c80319c";
  const kv = (attrs: Record<string, string>) => Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } }));
  const sp = (spanId: string, parentSpanId: string | undefined, attrs: Record<string, string>, name = "s") => ({
    traceId: T, spanId, ...(parentSpanId ? { parentSpanId } : {}), name, startTimeUnixNano: "1794650400000000000", attributes: kv(attrs),
  });
  const body = (...spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: kv({ "service.name": "svc" }) }, scopeSpans: [{ spans }] }] });
  const tool = { "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": "fetch_weather" };
  const chat = { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai" };

  it("gives an untagged call the tag of the nearest execute_tool ancestor, through spans that are not calls", () => {
    const m = mapOtlpTraces(body(sp("1000000000000001", undefined, tool, "execute_tool fetch_weather"), sp("1000000000000002", "1000000000000001", {}), sp("1000000000000003", "1000000000000002", chat)));
    const llm = m.spans.find((s) => s.record!.id === `${T}:1000000000000003`)!;
    expect(llm.record).toMatchObject({ action_name: "fetch_weather", otel: { action_name_from: { source: "otel", id: `${T}:1000000000000001`, span_name: "execute_tool fetch_weather" } } });
    expect(llm.missingAncestor).toBeUndefined();
  });

  it("keeps a span's own tag, and the tool's verdict.action_name wins over its gen_ai.tool.name", () => {
    const m = mapOtlpTraces(body(sp("2000000000000001", undefined, { ...tool, "verdict.action_name": "weather_lookup" }), sp("2000000000000002", "2000000000000001", { ...chat, "verdict.action_name": "llm_summarize" }), sp("2000000000000003", "2000000000000001", { "http.request.method": "GET", "url.full": "https://api.weather.example/x" })));
    const [, own, http] = m.spans.map((s) => s.record!);
    expect(own.action_name).toBe("llm_summarize");
    expect(own.otel.action_name_from).toBeUndefined();
    expect(http).toMatchObject({ action_name: "weather_lookup", otel: { action_name_from: { id: `${T}:2000000000000001` } } });
  });

  it("names an ancestor that is not in the export, for the caller to look up; stays untagged", () => {
    const m = mapOtlpTraces(body(sp("3000000000000002", "3000000000000001", chat)));
    expect(m.spans[0]).toMatchObject({ missingAncestor: `${T}:3000000000000001`, record: { action_name: "unknown" } });
    // a root span has no ancestor at all
    expect(mapOtlpTraces(body(sp("3000000000000003", undefined, chat))).spans[0].missingAncestor).toBeUndefined();
  });

  it("ends on a parent cycle (a malformed export) without a tag", () => {
    const m = mapOtlpTraces(body(sp("4000000000000001", "4000000000000002", {}), sp("4000000000000002", "4000000000000001", chat)));
    expect(m.spans[0].record!.action_name).toBe("unknown");
  });
});

describe("OTLP value helpers", () => {
  it("decodes AnyValue, ids and nanoseconds", () => {
    expect(anyValue({ arrayValue: { values: [{ intValue: "7" }, { boolValue: true }] } })).toEqual([7, true]);
    expect(anyValue({ kvlistValue: { values: [{ key: "a", value: { doubleValue: 1.5 } }] } })).toEqual({ a: 1.5 });
    expect(anyValue({ intValue: "9223372036854775807" })).toBe("9223372036854775807");
    expect(spanIdHex(Buffer.from("0af7651916cd43dd8448eb211c80319c", "hex").toString("base64"), 16)).toBe("0af7651916cd43dd8448eb211c80319c");
    expect(spanIdHex("B7AD6B7169203331", 8)).toBe("b7ad6b7169203331");
    expect(nanosToIso("1794650401123456789")).toBe("2026-11-14T10:00:01.123456Z");
    expect(nanosToIso("0")).toBeNull();
  });
});
