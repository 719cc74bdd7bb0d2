// Issue 17: the handoff list filtered by category, cause and review state, with counts per
// facet and cursor paging; the review history (append-only, who and when), on both databases.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as list } from "@/app/api/v1/handoffs/route";
import { GET as detail } from "@/app/api/v1/handoffs/[id]/route";
import { GET as history, POST as review } from "@/app/api/v1/reviews/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY, withParams } from "../support/http";
import { contractJson } from "../support/contract";
import type { Db } from "@/lib/db/client";
import { createApiKey } from "@/lib/db/queries/api-keys";
import { hashKey } from "@/lib/http/auth";
import { handoffNeighbours } from "@/lib/handoffs/service";
import { createShare, openShare } from "@/lib/shares/service";
import { sharedHandoff } from "@/lib/shares/shared-data";
import { getDb } from "@/lib/db/client";
import { caught, handoff, OPENAI, scenario, WEATHER } from "../fixtures/handoff-causes";

const CI_KEY = "ci-bot-key-0123456789abcdef0123";
// Two more CAUGHT verdicts from the same leaked row, later.
const more = [
  handoff("leak-2", "leaky", { query_record_id: 2, request_payload: { url: OPENAI, method: "POST" } }, "2026-11-20T16:00:04Z", caught()),
  handoff("leak-3", "leaky", { query_record_id: 2, request_payload: { url: OPENAI, method: "POST" } }, "2026-11-20T17:00:04Z", caught()),
];

describe.each(DIALECTS)("handoff triage on %s", (dialect) => {
  let db: Db;
  const ids: Record<string, string> = {};
  const get = async (qs: string) => {
    const res = await list(getRequest(`/api/v1/handoffs?${qs}`), noParams);
    return { status: res.status, body: await contractJson(res, "GET /api/v1/handoffs") };
  };
  const mark = async (body: unknown, key: string | null = TEST_KEY) => {
    const res = await review(jsonRequest("/api/v1/reviews", body, { key }), noParams);
    return { status: res.status, body: await contractJson(res, "POST /api/v1/reviews") };
  };
  const sourceIds = (rows: { id: string }[]) => rows.map((r) => Object.keys(ids).find((k) => ids[k] === r.id));

  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    const res = await ingest(jsonRequest("/api/v1/ingest", { records: [...scenario, ...more] }), noParams);
    expect(res.status).toBe(200);
    for (const h of await db.handoff.findMany()) ids[h.sourceId!] = h.id;
    await createApiKey({ db, dialect }, { id: "key_ci", name: "ci-bot", keyHash: hashKey(CI_KEY), prefix: CI_KEY.slice(0, 7) });
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("lists cause and category with each handoff and counts CAUGHT verdicts per category and cause", async () => {
    const { status, body } = await get("outcome=CAUGHT");
    expect(status).toBe(200);
    expect(sourceIds(body.handoffs)).toEqual(["leak-3", "leak-2", "config-1", "agent-1", "leak-1"]);
    expect(body.handoffs[0]).toMatchObject({ primary_cause: "leaked_tag", cause_category: "instrumentation", review_state: null });
    expect(body.counts).toEqual({
      total: 5,
      outcomes: { CAUGHT: 5, NOT_EVALUATED: 1, PASS: 1 },
      categories: { instrumentation: 3, agent: 1, configuration: 1 },
      causes: { leaked_tag: 3, value_mismatch: 1, untrusted_endpoint: 1 },
      reviews: { unreviewed: 5 },
    });
    // A facet's counts ignore its own filter, so the bar still shows the other categories.
    const agent = await get("outcome=CAUGHT&category=agent");
    expect(sourceIds(agent.body.handoffs)).toEqual(["agent-1"]);
    expect(agent.body.counts).toMatchObject({ total: 1, categories: { instrumentation: 3, agent: 1, configuration: 1 }, causes: { value_mismatch: 1 }, outcomes: { CAUGHT: 1 } });
    expect(sourceIds((await get("cause=untrusted_endpoint")).body.handoffs)).toEqual(["config-1"]);
    expect(sourceIds((await get("category=not_evaluated")).body.handoffs)).toEqual(["noeval-1"]);
    expect(sourceIds((await get("category=none")).body.handoffs)).toEqual(["pass-1"]);
  });

  it("lists one UTC day's handoffs (the overview chart's bars open it), and refuses a day that is not one", async () => {
    const day = await get("outcome=CAUGHT&category=instrumentation&day=2026-11-20");
    expect(day.status).toBe(200);
    expect(sourceIds(day.body.handoffs)).toEqual(["leak-3", "leak-2", "leak-1"]);
    expect(day.body.counts.total).toBe(3);
    const none = await get("day=2026-11-21");
    expect(none.body.handoffs).toEqual([]);
    expect(none.body.counts.total).toBe(0);
    for (const bad of ["2026-13-01", "2026-02-30", "20261120"]) {
      const r = await get(`day=${bad}`);
      expect(r.status).toBe(400);
      expect(r.body.error.details[0].path).toBe("day");
    }
  });

  it("pages a filtered list with the cursor, the counts covering every page", async () => {
    const page1 = await get("outcome=CAUGHT&category=instrumentation&limit=2");
    expect(sourceIds(page1.body.handoffs)).toEqual(["leak-3", "leak-2"]);
    expect(page1.body.next_cursor).toEqual(expect.any(String));
    const page2 = await get(`outcome=CAUGHT&category=instrumentation&limit=2&cursor=${page1.body.next_cursor}`);
    expect(sourceIds(page2.body.handoffs)).toEqual(["leak-1"]);
    expect(page2.body.next_cursor).toBeNull();
    expect(page2.body.counts.total).toBe(3);
  });

  it("answers an unknown category, cause or review state with a 400 naming the field", async () => {
    const { status, body } = await get("category=agents&cause=leak&review=maybe");
    expect(status).toBe(400);
    expect(body.error.code).toBe("invalid_request");
    expect(body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(["category", "cause", "review"]);
  });

  it("marks a CAUGHT handoff, keeps the history append-only with who and when, and filters by review state", async () => {
    const first = await mark({ subject_type: "handoff", ids: [ids["leak-1"]], state: "false_alarm", note: "Tag leak; the agent was right." });
    expect(first.status).toBe(201);
    expect(first.body.reviews).toEqual([expect.objectContaining({ subject_id: ids["leak-1"], state: "false_alarm", note: "Tag leak; the agent was right.", actor: "API key VERDICT_API_KEY" })]);
    const second = await mark({ subject_type: "handoff", ids: [ids["leak-1"]], state: "fixed", note: "Scoped the LLM call." }, CI_KEY);
    expect(second.status).toBe(201);
    expect(second.body.reviews[0].actor).toBe('API key "ci-bot"');
    const h = await contractJson(await history(getRequest(`/api/v1/reviews?subject_type=handoff&subject_id=${ids["leak-1"]}`), noParams), "GET /api/v1/reviews");
    expect(h.reviews.map((r: { state: string; actor: string }) => [r.state, r.actor])).toEqual([["false_alarm", "API key VERDICT_API_KEY"], ["fixed", 'API key "ci-bot"']]);
    expect(Date.parse(h.reviews[0].created_at)).toBeLessThanOrEqual(Date.parse(h.reviews[1].created_at));
    const d = await contractJson(await detail(getRequest(`/api/v1/handoffs/${ids["leak-1"]}`), withParams({ id: ids["leak-1"] })), "GET /api/v1/handoffs/{id}");
    expect(d).toMatchObject({ review_state: "fixed", primary_cause: "leaked_tag", cause_category: "instrumentation" });
    expect(d.reviews).toHaveLength(2);
    expect(sourceIds((await get("review=fixed")).body.handoffs)).toEqual(["leak-1"]);
    expect(sourceIds((await get("review=false_alarm")).body.handoffs)).toEqual([]);
    expect((await get("outcome=CAUGHT")).body.counts.reviews).toEqual({ fixed: 1, unreviewed: 4 });
  });

  it("marks several from the list at once, all or none", async () => {
    const both = await mark({ subject_type: "handoff", ids: [ids["leak-2"], ids["leak-3"]], state: "confirmed" });
    expect(both.status).toBe(201);
    expect(both.body.reviews).toHaveLength(2);
    expect(sourceIds((await get("review=confirmed")).body.handoffs)).toEqual(["leak-3", "leak-2"]);
    // A PASS among them: nothing is marked.
    const mixed = await mark({ subject_type: "handoff", ids: [ids["leak-2"], ids["pass-1"]], state: "false_alarm" });
    expect(mixed.status).toBe(400);
    expect(mixed.body.error.details).toEqual([{ path: "ids.1", message: expect.stringContaining("is not CAUGHT") }]);
    expect((await db.handoff.findUniqueOrThrow({ where: { id: ids["leak-2"] } })).reviewState).toBe("confirmed");
    const missing = await mark({ subject_type: "handoff", ids: ["hof_nope"], state: "fixed" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
    expect((await mark({ subject_type: "handoff", ids: [], state: "fixed" })).body.error.details[0].path).toBe("ids");
    expect((await mark({ subject_type: "handoff", ids: [ids["leak-2"]], state: "done" })).body.error.details[0].path).toBe("state");
  });

  it("needs a write key to mark (a read or no credential is refused, nothing stored)", async () => {
    const before = await db.review.count();
    const anonymous = await mark({ subject_type: "handoff", ids: [ids["agent-1"]], state: "confirmed" }, null);
    expect(anonymous.status).toBe(401);
    expect(await db.review.count()).toBe(before);
  });

  it("marks a leaked intercept, and refuses a call that is not a leak", async () => {
    const leaked = await db.intercept.findFirstOrThrow({ where: { sourceId: "2", agentId: "leaky" } });
    const tool = await db.intercept.findFirstOrThrow({ where: { sourceId: "1", agentId: "leaky" } });
    expect(leaked.isLeak).toBe(true);
    expect((await mark({ subject_type: "intercept", ids: [leaked.id], state: "confirmed", note: "LLM call inherited the tag" })).status).toBe(201);
    expect((await mark({ subject_type: "intercept", ids: [tool.id], state: "confirmed" })).status).toBe(400);
    const h = await contractJson(await history(getRequest(`/api/v1/reviews?subject_type=intercept&subject_id=${leaked.id}`), noParams), "GET /api/v1/reviews");
    expect(h.reviews).toEqual([expect.objectContaining({ state: "confirmed", note: "LLM call inherited the tag" })]);
  });

  it("gives the previous and next handoff within a filter", async () => {
    const f = { outcome: "CAUGHT" as const, category: "instrumentation" as const };
    expect(await handoffNeighbours(ids["leak-2"], f, getDb())).toEqual({ newer: ids["leak-3"], older: ids["leak-1"] });
    expect(await handoffNeighbours(ids["leak-3"], f, getDb())).toEqual({ newer: null, older: ids["leak-2"] });
    expect(await handoffNeighbours(ids["agent-1"], { outcome: "CAUGHT" }, getDb())).toEqual({ newer: ids["config-1"], older: ids["leak-1"] });
  });

  it("shows the review state and notes on a shared handoff, without who reviewed", async () => {
    const { url } = await createShare({ resource_type: "handoff", resource_id: ids["leak-1"] });
    const share = await openShare(url.replace("/s/", ""));
    const shared = await sharedHandoff(share!);
    expect(shared).toMatchObject({ review_state: "fixed" });
    expect(shared!.reviews.map((r) => [r.state, r.note, r.actor])).toEqual([["false_alarm", "Tag leak; the agent was right.", null], ["fixed", "Scoped the LLM call.", null]]);
  });

  it("lists only the handoffs where Verdict and the evaluator disagree, with counts to match (the overview card's view)", async () => {
    // The evaluator passed what Verdict finds wrong (the same wrong claim as agent-1).
    const res = await ingest(jsonRequest("/api/v1/ingest", { records: [handoff("differs-1", "wrong", { query_record_id: 11, request_payload: { url: WEATHER, method: "GET" } }, "2026-11-20T18:00:04Z", { outcome: "PASS", per_claim: [], errors: [] })] }), noParams);
    expect(res.status).toBe(200);
    const all = (await get("limit=500")).body.handoffs as { id: string; evaluator_outcome: string | null; verdict_outcome: string | null }[];
    const differ = all.filter((h) => h.evaluator_outcome !== null && h.evaluator_outcome !== "NOT_EVALUATED" && h.verdict_outcome !== null && h.evaluator_outcome !== h.verdict_outcome);
    expect(differ.length).toBeGreaterThan(0);
    expect(differ.length).toBeLessThan(all.length);
    const { status, body } = await get("agreement=differs");
    expect(status).toBe(200);
    expect(body.handoffs.map((h: { id: string }) => h.id)).toEqual(differ.map((h) => h.id));
    expect(body.counts.total).toBe(differ.length);
    expect((await get("agreement=same")).status).toBe(400);
  });
});
