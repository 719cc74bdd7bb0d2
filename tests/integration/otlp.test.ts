import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { randomBytes } from "node:crypto";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as otlp } from "@/app/api/v1/otlp/v1/traces/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import { contractJson } from "../support/contract";
import type { Db } from "@/lib/db/client";
import { getIntercept } from "@/lib/intercepts/service";
import { timelinePage } from "@/lib/timeline/service";
import { findTagLeaks } from "@/lib/analysis/leaks";
import type { CallKind } from "@/lib/analysis/classify-call";

const fixture = JSON.parse(readFileSync(path.resolve(import.meta.dirname, "../fixtures/import/otlp-leak.json"), "utf8"));
const post = (body: unknown, init?: Parameters<typeof jsonRequest>[2]) => otlp(jsonRequest("/api/v1/otlp/v1/traces", body, init), noParams);
const TRACE = "5b8efff798038103d269b633813fc60c";

describe.each(DIALECTS)("OTLP traces on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("stores the tool span and the LLM span, and the LLM call is a leak of the tool's tag", async () => {
    const res = await post(fixture);
    expect(res.status).toBe(200);
    expect(await contractJson(res, "POST /api/v1/otlp/v1/traces")).toEqual({});
    const tool = await db.intercept.findFirstOrThrow({ where: { sourceId: `${TRACE}:bbbbbbbbbbbbbbb2` } });
    const llm = await db.intercept.findFirstOrThrow({ where: { sourceId: `${TRACE}:ccccccccccccccc3` } });
    expect(tool).toMatchObject({ source: "otel", agentId: "otel_weather_agent", actionName: "fetch_weather", kind: "tool_call", createdAt: "2026-11-14T10:00:01.123456Z" });
    expect(llm).toMatchObject({ kind: "llm_call", llmProvider: "OpenAI", isLeak: true, leakToolId: tool.id, actionName: "fetch_weather" });
    // the agent invocation span is not a call
    expect(await db.intercept.count()).toBe(2);
    // unknown attributes are kept with the intercept
    expect(JSON.parse(tool.extra!).otel.attributes["app.retry_count"]).toBe(0);
  });

  it("is idempotent: re-sending the same spans stores nothing new", async () => {
    expect((await post(fixture)).status).toBe(200);
    expect(await db.intercept.count()).toBe(2);
  });

  it("answers partialSuccess for the spans it cannot store, and keeps the others", async () => {
    const spans = fixture.resourceSpans[0].scopeSpans[0].spans;
    const unplaceable = { ...spans[2], spanId: "ddddddddddddddd4", attributes: [{ key: "gen_ai.operation.name", value: { stringValue: "chat" } }] };
    const badTime = { ...spans[1], spanId: "eeeeeeeeeeeeeee5", startTimeUnixNano: "soon" };
    const good = { ...spans[1], spanId: "fffffffffffffff6" };
    const body = { resourceSpans: [{ ...fixture.resourceSpans[0], scopeSpans: [{ spans: [unplaceable, badTime, good] }] }] };
    const res = await post(body);
    expect(res.status).toBe(200);
    const out = await contractJson(res, "POST /api/v1/otlp/v1/traces");
    expect(out.partialSuccess.rejectedSpans).toBe(2);
    expect(out.partialSuccess.errorMessage).toContain("resourceSpans.0.scopeSpans.0.spans.0: an LLM span needs url.full");
    expect(out.partialSuccess.errorMessage).toContain("spans.1: startTimeUnixNano");
    expect(await db.intercept.count({ where: { sourceId: `${TRACE}:fffffffffffffff6` } })).toBe(1);
  });

  it("refuses what is not OTLP: a media type (415), bytes that are not protobuf (400), a body that is not OTLP (400), and a missing key (401), with the envelope", async () => {
    const text = await post("hello", { contentType: "text/plain" });
    expect(text.status).toBe(415);
    expect((await text.json()).error).toMatchObject({ code: "unsupported_media_type", message: expect.stringMatching(/application\/x-protobuf/) });
    const proto = await post("\u0000\u0001", { contentType: "application/x-protobuf" });
    expect(proto.status).toBe(400);
    expect((await proto.json()).error.code).toBe("invalid_protobuf");
    const notOtlp = await post({ spans: [] });
    expect(notOtlp.status).toBe(400);
    expect((await contractJson(notOtlp, "POST /api/v1/otlp/v1/traces")).error.details[0].path).toBe("resourceSpans");
    expect((await post("{oops")).status).toBe(400);
    expect((await post(fixture, { key: null })).status).toBe(401);
  });

  it("holds gzip bodies to 10 MiB as sent (413) and once decompressed (413), and takes a gzip export", async () => {
    const gz = (body: Buffer, type = "application/json") =>
      otlp(new Request("http://localhost/api/v1/otlp/v1/traces", { method: "POST", body: new Uint8Array(body), headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": type, "content-encoding": "gzip" } }), noParams);
    const sent = await gz(gzipSync(randomBytes(11 * 1024 * 1024)), "application/x-protobuf");
    expect(sent.status).toBe(413);
    expect((await sent.json()).error.message).toMatch(/^The body is larger than 10 MiB/);
    const inflated = await gz(gzipSync(Buffer.alloc(11 * 1024 * 1024, 0x20)));
    expect(inflated.status).toBe(413);
    expect((await inflated.json()).error.message).toMatch(/once decompressed, is larger than 10 MiB/);
    const ok = await gz(gzipSync(Buffer.from(JSON.stringify(fixture))));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({});
  });
});

describe.each(DIALECTS)("OTLP: the action tag inherited from the execute_tool span, on %s", (dialect) => {
  let db: Db;
  let conn: { db: Db; dialect: typeof dialect };
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    conn = await useFreshDatabase(dialect);
    db = conn.db;
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  const T = "6c8efff798038103d269b633813fc60d";
  const kv = (attrs: Record<string, string>) => Object.entries(attrs).map(([key, v]) => ({ key, value: { stringValue: v } }));
  let clock = 1794650400000000000n;
  const sp = (spanId: string, parentSpanId: string | undefined, attrs: Record<string, string>, name = "span") => {
    clock += 1000000000n;
    return { traceId: T, spanId, ...(parentSpanId ? { parentSpanId } : {}), name, startTimeUnixNano: String(clock), endTimeUnixNano: String(clock + 500000000n), attributes: kv(attrs) };
  };
  const exportOf = (...spans: unknown[]) => ({ resourceSpans: [{ resource: { attributes: kv({ "service.name": "nest-agent" }) }, scopeSpans: [{ spans }] }] });
  const tool = (name: string, extra: Record<string, string> = {}) => ({ "gen_ai.operation.name": "execute_tool", "gen_ai.tool.name": name, ...extra });
  const chat = { "gen_ai.operation.name": "chat", "gen_ai.provider.name": "openai" };
  const byId = (span: string) => db.intercept.findFirstOrThrow({ where: { sourceId: `${T}:${span}` } });

  it("an LLM span under a tool span, in one export: tagged with the tool's tag, a leak linked to that tool call, the reason naming span nesting", async () => {
    const res = await post(exportOf(sp("a000000000000001", undefined, tool("fetch_weather"), "execute_tool fetch_weather"), sp("a000000000000002", "a000000000000001", chat, "chat gpt-4o")));
    expect(await res.json()).toEqual({});
    const [t, llm] = [await byId("a000000000000001"), await byId("a000000000000002")];
    expect(llm).toMatchObject({ kind: "llm_call", actionName: "fetch_weather", isLeak: true, leakToolId: t.id, parentToolId: t.id });
    const detail = await getIntercept(llm.id, conn);
    expect(detail!.leak!.reason).toMatch(/ran inside the tool call .* from span nesting/);
    const page = await timelinePage(conn, { agentId: "nest-agent", limit: 50 });
    const event = page.events.find((e) => e.id === llm.id) as { leak: { reason: string; tool_intercept_id: string } };
    expect(event.leak).toMatchObject({ tool_intercept_id: t.id, reason: expect.stringMatching(/from span nesting/) });
    // the tool call lists the LLM call its tag leaked into
    expect((await getIntercept(t.id, conn))!.leaked_into.map((c) => c.id)).toEqual([llm.id]);
  });

  it("an LLM span whose tool span was stored from an earlier export inherits from the stored one", async () => {
    await post(exportOf(sp("b000000000000001", undefined, tool("lookup_stock"))));
    await post(exportOf(sp("b000000000000002", "b000000000000001", chat)));
    const [t, llm] = [await byId("b000000000000001"), await byId("b000000000000002")];
    expect(llm).toMatchObject({ actionName: "lookup_stock", isLeak: true, leakToolId: t.id });
  });

  it("follows stored calls up to the tool: an LLM span under a stored HTTP span that ran in a tool", async () => {
    await post(exportOf(sp("c000000000000001", undefined, tool("search_docs")), sp("c000000000000002", "c000000000000001", { "http.request.method": "GET", "url.full": "https://docs.example.com/q" })));
    await post(exportOf(sp("c000000000000003", "c000000000000002", chat)));
    const [t, http, llm] = [await byId("c000000000000001"), await byId("c000000000000002"), await byId("c000000000000003")];
    expect(http).toMatchObject({ kind: "tool_call", actionName: "search_docs", isLeak: false });
    expect(llm).toMatchObject({ actionName: "search_docs", isLeak: true, leakToolId: t.id });
  });

  it("links to the tool it ran inside, not to a later call of the same tool; a correctly scoped LLM call is no leak", async () => {
    const first = sp("d000000000000001", undefined, tool("translate"));
    const second = sp("d000000000000002", undefined, tool("translate"));
    const nested = sp("d000000000000003", "d000000000000001", chat); // in the first, after the second started
    const scoped = sp("d000000000000004", undefined, { ...chat, "verdict.action_name": "llm_summarize" });
    const untagged = sp("d000000000000005", undefined, chat);
    expect(await (await post(exportOf(first, second, nested, scoped, untagged))).json()).toEqual({});
    const llm = await byId("d000000000000003");
    expect(llm.leakToolId).toBe((await byId("d000000000000001")).id);
    expect(await byId("d000000000000004")).toMatchObject({ actionName: "llm_summarize", isLeak: false });
    expect(await byId("d000000000000005")).toMatchObject({ actionName: "unknown", isLeak: false });
    // re-sending changes nothing
    expect(await (await post(exportOf(first, second, nested, scoped, untagged))).json()).toEqual({});
    expect((await byId("d000000000000003")).leakToolId).toBe((await byId("d000000000000001")).id);
  });

  it("the stored leak links are exactly what the pure leak rule finds", async () => {
    const rows = await db.intercept.findMany({ where: { kind: { not: "filler" } } });
    const expected = findTagLeaks(
      rows.map((r) => ({ id: r.id, agentId: r.agentId, kind: r.kind as CallKind, actionName: r.actionName, method: r.method, host: r.host, path: r.path, ts: Number(r.ts), createdAt: r.createdAt, parentToolId: r.parentToolId })),
    );
    expect(expected.length).toBe(4);
    expect(rows.filter((r) => r.isLeak).map((r) => [r.id, r.leakToolId]).sort()).toEqual(expected.map((l) => [l.llmInterceptId, l.toolInterceptId]).sort());
  });
});
