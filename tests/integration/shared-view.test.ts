import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as sharedTimelineRoute } from "@/app/api/s/[token]/timeline/route";
import { GET as sharedInterceptRoute } from "@/app/api/s/[token]/intercepts/[id]/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, withParams } from "../support/http";
import { contractJson } from "../support/contract";
import { loadDemoData } from "@/lib/demo/load-demo";
import { createShare, revoke } from "@/lib/shares/service";
import type { Db } from "@/lib/db/client";

const tokenOf = (url: string) => url.replace("/s/", "");

describe.each(DIALECTS)("shared-page data requests on %s", (dialect) => {
  let db: Db;
  let ownIntercept: string;
  let otherAgentIntercept: string;
  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
    await loadDemoData();
    ownIntercept = (await db.intercept.findFirstOrThrow({ where: { agentId: "fetch_and_claim", kind: "tool_call" } })).id;
    otherAgentIntercept = (await db.intercept.findFirstOrThrow({ where: { agentId: "stock_analyst" } })).id;
  });
  afterAll(() => {});

  const timeline = (token: string, qs = "") => sharedTimelineRoute(getRequest(`/api/s/${token}/timeline${qs}`), withParams({ token }));
  const intercept = (token: string, id: string) => sharedInterceptRoute(getRequest(`/api/s/${token}/intercepts/${id}`), withParams({ token, id }));

  it("an agent share serves that agent's timeline and intercepts, and refuses other agents' ids", async () => {
    const { url } = await createShare({ resource_type: "agent", resource_id: "fetch_and_claim" });
    const token = tokenOf(url);
    const res = await timeline(token);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("x-robots-tag")).toContain("noindex");
    const page = await contractJson(res, "GET /api/s/{token}/timeline");
    expect(page.events.length).toBeGreaterThan(0);
    for (const e of page.events) expect(e.link === "" || e.link.startsWith(`/s/${token}/`)).toBe(true);
    expect((await intercept(token, ownIntercept)).status).toBe(200);
    const refused = await intercept(token, otherAgentIntercept);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(await refused.json())).not.toContain("stock_analyst");
  });

  it("a handoff share covers only the intercepts its analysis cites, and no timeline", async () => {
    const handoff = await db.handoff.findFirstOrThrow({ where: { sourceId: "demo-leak-1" } });
    const { url } = await createShare({ resource_type: "handoff", resource_id: handoff.id, redact_payloads: true });
    const token = tokenOf(url);
    expect((await timeline(token)).status).toBe(404);
    expect((await intercept(token, otherAgentIntercept)).status).toBe(404);
    const leaked = await db.intercept.findFirstOrThrow({ where: { sourceId: String((JSON.parse(handoff.payload).claims[0] as { query_record_id: number }).query_record_id) } });
    const res = await intercept(token, leaked.id);
    expect(res.status).toBe(200);
    const body = await contractJson(res, "GET /api/s/{token}/intercepts/{id}");
    // redaction: the body gives way to its hash and size
    expect(body.raw_response).toMatchObject({ redacted: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(JSON.stringify(body)).not.toContain("chatcmpl-demo");
  });

  it("an intercept share covers that intercept only; revoked and unknown tokens get the same 404", async () => {
    const { url, id } = await createShare({ resource_type: "intercept", resource_id: ownIntercept });
    const token = tokenOf(url);
    expect((await intercept(token, ownIntercept)).status).toBe(200);
    expect((await intercept(token, otherAgentIntercept)).status).toBe(404);
    await revoke(id);
    const revoked = await intercept(token, ownIntercept);
    const unknown = await intercept("A".repeat(43), ownIntercept);
    expect(revoked.status).toBe(404);
    expect(await contractJson(revoked, "GET /api/s/{token}/intercepts/{id}")).toEqual(await contractJson(unknown, "GET /api/s/{token}/intercepts/{id}"));
  });
});
