import { readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as otlp } from "@/app/api/v1/otlp/v1/traces/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import type { Db } from "@/lib/db/client";

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
    expect(await res.json()).toEqual({});
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
    const out = await res.json();
    expect(out.partialSuccess.rejectedSpans).toBe(2);
    expect(out.partialSuccess.errorMessage).toContain("resourceSpans.0.scopeSpans.0.spans.0: an LLM span needs url.full");
    expect(out.partialSuccess.errorMessage).toContain("spans.1: startTimeUnixNano");
    expect(await db.intercept.count({ where: { sourceId: `${TRACE}:fffffffffffffff6` } })).toBe(1);
  });

  it("refuses protobuf (415), a body that is not OTLP (400), and a missing key (401), with the envelope", async () => {
    const proto = await post("\u0000\u0001", { contentType: "application/x-protobuf" });
    expect(proto.status).toBe(415);
    expect((await proto.json()).error).toMatchObject({ code: "unsupported_media_type", message: expect.stringMatching(/JSON encoding only/) });
    const notOtlp = await post({ spans: [] });
    expect(notOtlp.status).toBe(400);
    expect((await notOtlp.json()).error.details[0].path).toBe("resourceSpans");
    expect((await post("{oops")).status).toBe(400);
    expect((await post(fixture, { key: null })).status).toBe(401);
  });
});
