// Issue 15 #7, #8 and the API half of #9: a handoff share reaches exactly the intercepts its
// page shows; a redacted share shows no rendering of a body; cursors PostgreSQL cannot take
// are a 400 on both databases.
import { beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as listHandoffsRoute } from "@/app/api/v1/handoffs/route";
import { GET as policyRoute } from "@/app/api/v1/policy-decisions/route";
import { GET as timelineRoute } from "@/app/api/v1/agents/[agentId]/timeline/route";
import { GET as sharedInterceptRoute } from "@/app/api/s/[token]/intercepts/[id]/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY, withParams } from "../support/http";
import { createShare, openShare } from "@/lib/shares/service";
import { sharedHandoff } from "@/lib/shares/shared-data";
import type { Db } from "@/lib/db/client";

import { AGENT, BODY_SECRET, scopeRecords } from "../fixtures/share-scope";

describe.each(DIALECTS)("share scope and redaction on %s", (dialect) => {
  let db: Db;
  let toolId: string;
  let unrelatedId: string;
  let handoffId: string;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    const { tool, unrelated, handoff } = scopeRecords();
    const res = await ingest(jsonRequest("/api/v1/ingest", { records: [tool, unrelated, handoff] }), noParams);
    expect((await res.json()).accepted).toBe(3);
    toolId = (await db.intercept.findFirstOrThrow({ where: { sourceId: "501" } })).id;
    unrelatedId = (await db.intercept.findFirstOrThrow({ where: { sourceId: "502" } })).id;
    handoffId = (await db.handoff.findFirstOrThrow({ where: { sourceId: "scope-h1" } })).id;
  });

  const share = async (redact: boolean) => {
    const { url } = await createShare({ resource_type: "handoff", resource_id: handoffId, redact_payloads: redact });
    const token = url.replace("/s/", "");
    return { token, open: (await openShare(token))! };
  };
  const sharedIntercept = (token: string, id: string) => sharedInterceptRoute(getRequest(`/api/s/${token}/intercepts/${id}`), withParams({ token, id }));

  it("a handoff share reaches the intercepts its page cites and no other candidate of the analysis", async () => {
    const { token, open } = await share(false);
    const detail = (await sharedHandoff(open))!;
    expect(Object.keys(detail.intercepts)).toEqual([toolId]);
    expect(JSON.stringify(detail)).not.toContain("UNRELATED-PRIVATE");
    expect((await sharedIntercept(token, toolId)).status).toBe(200);
    const refused = await sharedIntercept(token, unrelatedId);
    expect(refused.status).toBe(404);
    expect(JSON.stringify(await refused.json())).not.toContain("UNRELATED-PRIVATE");
  });

  it("without redaction the shared handoff shows the bodies (the test's secret is where redaction must hide it)", async () => {
    const { open } = await share(false);
    const text = JSON.stringify(await sharedHandoff(open));
    expect(text).toContain(BODY_SECRET);
  });

  it("a redacted handoff share shows no rendering of a body: value at path, diff, detail, causes, payload, evaluation", async () => {
    const { token, open } = await share(true);
    const detail = (await sharedHandoff(open))!;
    const text = JSON.stringify(detail);
    expect(text).not.toContain(BODY_SECRET);
    expect(text).not.toContain("owner ");
    const [verbatim, root, field, rangeObj, rangeStr] = detail.analysis.claims;
    expect(verbatim.result).toBe("CAUGHT");
    expect(verbatim.value_at_path.value).toMatchObject({ redacted: true, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(verbatim.diff.length).toBeGreaterThan(0);
    expect(root.result).toBe("CAUGHT");
    expect(field.causes.find((c) => c.code === "value_mismatch")?.explanation).toMatch(/\[redacted: \d+ bytes, sha256 [0-9a-f]{12}…\]/);
    expect(rangeObj.detail).toMatch(/^indexed value not numeric: \[redacted/);
    expect(rangeStr.detail).toMatch(/^indexed value not numeric: \[redacted/);
    // Outcomes and structure stay.
    expect(detail.analysis.outcome).toBe("CAUGHT");
    expect(Object.keys(detail.intercepts)).toEqual([toolId]);
    const res = await sharedIntercept(token, toolId);
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).not.toContain(BODY_SECRET);
  });

  it("cursors a bigint cannot hold or an id with U+0000 are refused with 400", async () => {
    const bad = [
      Buffer.from("99999999999999999999999:x").toString("base64url"), // the OTk5…eA: 1e+23
      "OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk6eA",
      Buffer.from("1:x\u0000y").toString("base64url"),
    ];
    for (const cursor of bad) {
      const res = await listHandoffsRoute(getRequest(`/api/v1/handoffs?cursor=${cursor}`, TEST_KEY), noParams);
      expect(res.status, cursor).toBe(400);
      expect((await res.json()).error.details[0].path).toBe("cursor");
    }
    const policyCursor = Buffer.from(JSON.stringify([1, "a\u0000"])).toString("base64url");
    expect((await policyRoute(getRequest(`/api/v1/policy-decisions?cursor=${policyCursor}`, TEST_KEY), noParams)).status).toBe(400);
    const timelineCursor = Buffer.from(JSON.stringify([1, 0, "a\u0000"])).toString("base64url");
    expect((await timelineRoute(getRequest(`/api/v1/agents/${AGENT}/timeline?cursor=${timelineCursor}`, TEST_KEY), withParams({ agentId: AGENT }))).status).toBe(400);
    // and the next request is served
    expect((await listHandoffsRoute(getRequest("/api/v1/handoffs", TEST_KEY), noParams)).status).toBe(200);
  });

  it("a shared intercept id holding U+0000 is the same 404 as any id the share does not cover", async () => {
    const { token } = await share(false);
    expect((await sharedIntercept(token, "int_\u0000")).status).toBe(404);
    expect((await sharedIntercept(token, "int_%00")).status).toBe(404);
  });
});
