import { beforeAll, describe, expect, it } from "vitest";
import { GET as agentsRoute } from "@/app/api/v1/agents/route";
import { GET as timelineRoute } from "@/app/api/v1/agents/[agentId]/timeline/route";
import { GET as interceptRoute } from "@/app/api/v1/intercepts/[id]/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, noParams, withParams } from "../support/http";
import { contractJson } from "../support/contract";
import { loadDemoData } from "@/lib/demo/load-demo";
import { findTagLeaks } from "@/lib/analysis/leaks";
import { num } from "@/lib/db/sql";
import type { Db } from "@/lib/db/client";
import type { CallKind } from "@/lib/analysis/classify-call";

interface Event {
  id: string;
  kind: string;
  at: string;
  link: string;
  action_name?: string;
  tag_status?: string;
  leak?: { reason: string; tool_intercept_id: string } | null;
  [k: string]: unknown;
}

const timeline = async (agent: string, qs = "") => {
  const res = await timelineRoute(getRequest(`/api/v1/agents/${agent}/timeline${qs}`), withParams({ agentId: agent }));
  return { status: res.status, body: (await contractJson(res, "GET /api/v1/agents/{agent_id}/timeline")) as { events: Event[]; next_cursor: string | null; error?: { code: string; details: { path: string }[] } } };
};

async function allPages(agent: string, qs: string): Promise<{ events: Event[]; pages: number }> {
  const events: Event[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const { status, body } = await timeline(agent, `${qs}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`);
    expect(status).toBe(200);
    events.push(...body.events);
    cursor = body.next_cursor;
    pages++;
  } while (cursor && pages < 100);
  return { events, pages };
}

describe.each(DIALECTS)("agents, timeline and intercepts on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
    await loadDemoData(Date.UTC(2026, 10, 20, 12, 0, 0));
  });

  it("lists every agent with its counts, filler excluded", async () => {
    const res = await agentsRoute(getRequest("/api/v1/agents"), noParams);
    expect(res.status).toBe(200);
    const { agents } = (await contractJson(res, "GET /api/v1/agents")) as { agents: Record<string, unknown>[] };
    expect(agents.map((a) => a.agent_id)).not.toContain("__provably_preprocess_pad");
    expect(agents).toHaveLength(6);
    const fac = agents.find((a) => a.agent_id === "fetch_and_claim")!;
    expect(fac).toMatchObject({ intercepts: 15, llm_calls: 10, tool_calls: 5, leaks: 5, handoffs: 5, caught: 5, policy_decisions: 0, blocks: 0 });
    expect(fac.first_seen).toMatch(/^2026-11-20T09:00:00\.000000Z$/);
    const stock = agents.find((a) => a.agent_id === "stock_analyst")!;
    expect(stock).toMatchObject({ leaks: 0, caught: 2, handoffs: 2 });
    const gate = agents.find((a) => a.agent_id === "5b7f2a90-4c1d-4e8a-9f00-6a1e2b3c4d5e")!;
    // Blocked tool calls, not invocations: send_email (three edges, recorded BLOCK on each) and delete_records.
    expect(gate).toMatchObject({ intercepts: 0, policy_decisions: 5, blocks: 2 });
  });

  it("merges the three kinds in time order and pages with the cursor", async () => {
    const whole = await timeline("fetch_and_claim", "?limit=1000");
    expect(whole.body.next_cursor).toBeNull();
    expect(whole.body.events).toHaveLength(20);
    const paged = await allPages("fetch_and_claim", "?limit=3");
    expect(paged.pages).toBe(7);
    expect(paged.events.map((e) => e.id)).toEqual(whole.body.events.map((e) => e.id));
    const ats = whole.body.events.map((e) => e.at);
    expect([...ats].sort()).toEqual(ats);
    expect(new Set(whole.body.events.map((e) => e.kind))).toEqual(new Set(["llm_call", "tool_call", "handoff"]));
    const handoff = whole.body.events.find((e) => e.kind === "handoff")!;
    expect(handoff).toMatchObject({ evaluator_outcome: "CAUGHT", link: `/handoffs/${handoff.id}` });
    const gate = await timeline("5b7f2a90-4c1d-4e8a-9f00-6a1e2b3c4d5e");
    expect(gate.body.events[1]).toMatchObject({ kind: "policy_decision", tool_name: "send_email", policy_name: "no_external_financials", passed: false, action: "BLOCK" });
    expect(gate.body.events[1].edge).toEqual({ source: "Email", target: "ExternalParty", source_depth: "D2 CAPABILITIES", target_depth: "D3 CONSTRAINTS" });
  });

  it("pages across tables at the same instant without losing or repeating an event", async () => {
    // The three legacy decisions are 3 ms apart; page through a mixed agent one event at a time.
    const one = await allPages("legacy_mailer", "?limit=1");
    expect(one.events.map((e) => e.id)).toHaveLength(3);
    expect(new Set(one.events.map((e) => e.id)).size).toBe(3);
    expect(one.events[0].edge).toBeNull();
  });

  it("leaks_only returns exactly the stored leaks, each naming its tool call", async () => {
    const { body } = await timeline("fetch_and_claim", "?leaks_only=true");
    expect(body.events).toHaveLength(5);
    for (const e of body.events) {
      expect(e).toMatchObject({ kind: "llm_call", action_name: "fetch_weather", tag_status: "leaked" });
      expect(e.leak!.reason).toContain('carries the action tag "fetch_weather"');
      const tool = await db.intercept.findUniqueOrThrow({ where: { id: e.leak!.tool_intercept_id } });
      expect(tool).toMatchObject({ kind: "tool_call", actionName: "fetch_weather", agentId: "fetch_and_claim" });
    }
    expect((await timeline("weather_reporter", "?leaks_only=1")).body.events).toEqual([]);
  });

  it("the stored leak links are exactly what the pure leak rule finds", async () => {
    const rows = await db.intercept.findMany({ where: { kind: { not: "filler" } } });
    const expected = findTagLeaks(
      rows.map((r) => ({ id: r.id, agentId: r.agentId, kind: r.kind as CallKind, actionName: r.actionName, method: r.method, host: r.host, path: r.path, ts: num(r.ts), createdAt: r.createdAt, parentToolId: r.parentToolId })),
    );
    const stored = rows.filter((r) => r.isLeak).map((r) => [r.id, r.leakToolId]);
    expect(stored.sort()).toEqual(expected.map((l) => [l.llmInterceptId, l.toolInterceptId]).sort());
  });

  it("filters by kinds, action tags and time range", async () => {
    const tools = await timeline("fetch_and_claim", "?kinds=tool_call,handoff");
    expect(new Set(tools.body.events.map((e) => e.kind))).toEqual(new Set(["tool_call", "handoff"]));
    expect(tools.body.events).toHaveLength(10);
    const tagged = await timeline("fetch_and_claim", "?actions=fetch_weather");
    expect(tagged.body.events).toHaveLength(10);
    expect(tagged.body.events.every((e) => e.action_name === "fetch_weather")).toBe(true);
    const all = (await timeline("fetch_and_claim", "?limit=1000")).body.events;
    const from = all[4].at;
    const to = all[8].at;
    const ranged = await timeline("fetch_and_claim", `?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(ranged.body.events.map((e) => e.id)).toEqual(all.slice(4, 8).map((e) => e.id));
  });

  it("answers 400 with field paths for bad parameters", async () => {
    for (const [qs, path] of [
      ["?limit=0", "limit"],
      ["?limit=5000", "limit"],
      ["?limit=abc", "limit"],
      ["?kinds=tool_call,nope", "kinds.1"],
      ["?cursor=garbage", "cursor"],
      ["?from=yesterday", "from"],
      ["?leaks_only=maybe", "leaks_only"],
    ]) {
      const { status, body } = await timeline("fetch_and_claim", qs);
      expect(status, qs).toBe(400);
      expect(body.error!.code).toBe("invalid_request");
      expect(body.error!.details[0].path, qs).toBe(path);
    }
  });

  it("an unknown agent has an empty timeline", async () => {
    expect((await timeline("nobody")).body).toEqual({ events: [], next_cursor: null });
  });

  it("returns an intercept with its classification, hash check and leak analysis", async () => {
    const leak = (await timeline("fetch_and_claim", "?leaks_only=true&limit=1")).body.events[0];
    const res = await interceptRoute(getRequest(`/api/v1/intercepts/${leak.id}`), withParams({ id: leak.id }));
    expect(res.status).toBe(200);
    const d = await contractJson(res, "GET /api/v1/intercepts/{id}");
    expect(d).toMatchObject({ id: leak.id, source: "demo", kind: "llm_call", method: "POST", host: "api.openai.com", classification: { llm_provider: "OpenAI", tag_status: "leaked" } });
    expect(d.leak.tool_intercept_id).toBe(leak.leak!.tool_intercept_id);
    expect(d.leak.tool_call).toMatchObject({ id: leak.leak!.tool_intercept_id, method: "GET", host: "api.open-meteo.com" });
    expect(d.response_hash_check.status).toBe("match");
    expect(d.request_payload).toMatchObject({ method: "POST", url: "https://api.openai.com/v1/chat/completions" });

    const tool = await contractJson(await interceptRoute(getRequest(`/api/v1/intercepts/${d.leak.tool_intercept_id}`), withParams({ id: d.leak.tool_intercept_id })), "GET /api/v1/intercepts/{id}");
    expect(tool.leaked_into.map((c: { id: string }) => c.id)).toEqual([leak.id]);
    expect(tool.findings[0]).toContain("leaked into 1 later LLM call");
  });

  it("shows the tampered response as a hash mismatch", async () => {
    const row = await db.intercept.findFirstOrThrow({ where: { source: "demo", agentId: "weather_reporter", path: "/v1/forecast?latitude=0&longitude=0" } });
    const d = await contractJson(await interceptRoute(getRequest(`/api/v1/intercepts/${row.id}`), withParams({ id: row.id })), "GET /api/v1/intercepts/{id}");
    expect(d.response_hash_check.status).toBe("mismatch");
  });

  it("answers 404 for an unknown intercept and for a filler row", async () => {
    const res = await interceptRoute(getRequest("/api/v1/intercepts/nope"), withParams({ id: "nope" }));
    expect(res.status).toBe(404);
    expect((await contractJson(res, "GET /api/v1/intercepts/{id}")).error.code).toBe("not_found");
    const filler = await db.intercept.findFirstOrThrow({ where: { kind: "filler" } });
    expect((await interceptRoute(getRequest(`/api/v1/intercepts/${filler.id}`), withParams({ id: filler.id }))).status).toBe(404);
  });
});
