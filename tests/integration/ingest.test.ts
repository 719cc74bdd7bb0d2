import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as health } from "@/app/api/health/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY, getRequest } from "../support/http";
import { contractJson } from "../support/contract";
import * as f from "../fixtures/records";
import type { Db } from "@/lib/db/client";

const post = (body: unknown, init?: Parameters<typeof jsonRequest>[2]) => ingest(jsonRequest("/api/v1/ingest", body, init), noParams);

describe.each(DIALECTS)("ingest on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("reports the database in /api/health", async () => {
    const res = await health(getRequest("/api/health"), noParams);
    expect(await contractJson(res, "GET /api/health")).toEqual({ status: "ok", database: dialect });
  });

  it("stores all three record types and both generations", async () => {
    const res = await post({ records: [f.genAToolCall, f.genALeakedLlmCall, f.genBToolCall, f.edgePolicyDecision, f.legacyPolicyDecision, f.handoffRecord] });
    expect(res.status).toBe(200);
    expect(await contractJson(res, "POST /api/v1/ingest")).toEqual({ accepted: 6, duplicates: 0, rejected: [] });
    const a = await db.intercept.findFirstOrThrow({ where: { sourceId: "101" } });
    expect(a).toMatchObject({ generation: "A", kind: "tool_call", method: "GET", host: "api.weather.example.com", createdAt: "2026-11-20T10:00:00.123456Z" });
    expect(a.requestPayload).toBe(f.genAToolCall.request_payload); // JSON text kept exactly
    const b = await db.intercept.findFirstOrThrow({ where: { sourceId: f.genBToolCall.id } });
    expect(b).toMatchObject({ generation: "B", callRef: f.genBToolCall.call_ref, createdAt: "2026-11-20T10:00:00.000000Z" });
  });

  it("classifies the LLM call and links the leaked tag to the tool call", async () => {
    const tool = await db.intercept.findFirstOrThrow({ where: { sourceId: "101" } });
    const llm = await db.intercept.findFirstOrThrow({ where: { sourceId: "102" } });
    expect(llm).toMatchObject({ kind: "llm_call", llmProvider: "OpenAI", isLeak: true, leakToolId: tool.id });
  });

  it("never stores secrets", async () => {
    const rows = [
      ...(await db.intercept.findMany()).map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? String(v) : v))),
      ...(await db.handoff.findMany()).map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? String(v) : v))),
      ...(await db.policyDecision.findMany()).map((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? String(v) : v))),
    ].join("\n");
    expect(rows).not.toContain("sk-live-SECRET123");
    expect(rows).not.toContain("ik-SECRET-999");
    expect(rows).not.toContain("hunter2");
    expect(rows).toContain("removed_secrets");
  });

  it("is idempotent: re-sending counts duplicates and stores nothing new", async () => {
    const before = await db.intercept.count();
    const res = await post({ records: [f.genAToolCall, f.genALeakedLlmCall, f.handoffRecord, f.legacyPolicyDecision] });
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 4, rejected: [] });
    expect(await db.intercept.count()).toBe(before);
    expect(await db.policyDecision.count()).toBe(2);
  });

  it("stores exactly the valid records of a mixed batch (207)", async () => {
    const good = { ...f.genAToolCall, id: 555 };
    const res = await post({ records: [{ ...good, created_at: "yesterday" }, good, { type: "nope" }, { ...f.genBToolCall, id: "x-2", agent_id: 7 }] });
    expect(res.status).toBe(207);
    const body = await contractJson(res, "POST /api/v1/ingest");
    expect(body.accepted).toBe(1);
    expect(body.rejected.map((r: { index: number }) => r.index)).toEqual([0, 2, 3]);
    expect(body.rejected[0].errors[0].path).toBe("records.0.created_at");
    expect(body.rejected[2].errors[0].path).toBe("records.3.agent_id");
    expect(await db.intercept.count({ where: { sourceId: "555" } })).toBe(1);
  });

  it("accepts NDJSON with per-line errors", async () => {
    const lines = [JSON.stringify({ ...f.genAToolCall, id: 777 }), "{not json", JSON.stringify({ ...f.genAToolCall, id: 778 })].join("\n");
    const res = await post(lines, { contentType: "application/x-ndjson" });
    expect(res.status).toBe(207);
    const body = await res.json();
    expect(body).toMatchObject({ accepted: 2, duplicates: 0 });
    expect(body.rejected[0].index).toBe(1);
  });

  it("answers 401 without a key or with a wrong one", async () => {
    expect((await post({ records: [f.genAToolCall] }, { key: null })).status).toBe(401);
    const res = await post({ records: [f.genAToolCall] }, { key: "wrong" });
    expect(res.status).toBe(401);
    expect((await contractJson(res, "POST /api/v1/ingest")).error.code).toBe("unauthorized");
  });

  it("answers 400 on broken JSON and on a missing records array", async () => {
    const broken = await post("{ nope");
    expect(broken.status).toBe(400);
    expect((await contractJson(broken, "POST /api/v1/ingest")).error.code).toBe("invalid_json");
    const empty = await post({ records: [] });
    expect(empty.status).toBe(400);
    expect((await empty.json()).error.code).toBe("invalid_request");
  });

  it("answers 413 over 10 MiB and over 5,000 records", async () => {
    const big = await post({ records: [{ ...f.genAToolCall, raw_response: { blob: "x".repeat(11 * 1024 * 1024) } }] });
    expect(big.status).toBe(413);
    expect((await contractJson(big, "POST /api/v1/ingest")).error.code).toBe("payload_too_large");
    const many = await post({ records: Array.from({ length: 5001 }, (_, i) => ({ ...f.genAToolCall, id: i })) });
    expect(many.status).toBe(413);
  });
});
