import { writeFileSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as createShare, GET as listShares } from "@/app/api/v1/shares/route";
import { DELETE as revokeShare } from "@/app/api/v1/shares/[id]/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY, withParams } from "../support/http";
import { contractJson } from "../support/contract";
import { loadDemoData } from "@/lib/demo/load-demo";
import { openShare } from "@/lib/shares/service";
import { hashShareToken } from "@/lib/shares/tokens";
import type { Db } from "@/lib/db/client";

const clockFile = path.join(mkdtempSync(path.join(os.tmpdir(), "verdict-clock-")), "offset");
const setClock = (offsetMs: number) => writeFileSync(clockFile, String(offsetMs));

describe.each(DIALECTS)("share links on %s", (dialect) => {
  let db: Db;
  let handoffId: string;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    process.env.VERDICT_CLOCK_FILE = clockFile;
    setClock(0);
    ({ db } = await useFreshDatabase(dialect));
    await loadDemoData();
    handoffId = (await db.handoff.findFirstOrThrow({ where: { sourceId: "demo-leak-1" } })).id;
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
    delete process.env.VERDICT_CLOCK_FILE;
  });

  const create = (body: unknown, key: string | null = TEST_KEY) => createShare(jsonRequest("/api/v1/shares", body, { key }), noParams);

  it("creates a link whose token is stored only as a hash", async () => {
    const res = await create({ resource_type: "handoff", resource_id: handoffId });
    expect(res.status).toBe(201);
    const body = await contractJson(res, "POST /api/v1/shares");
    const token = body.url.replace("/s/", "");
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await db.share.findUniqueOrThrow({ where: { id: body.id } });
    expect(row.tokenHash).toBe(hashShareToken(token));
    expect(JSON.stringify(row)).not.toContain(token);
    expect(new Date(body.expires_at).getTime() - row.createdAt.getTime()).toBe(7 * 86_400_000);
    const opened = await openShare(token, { countView: true });
    expect(opened).toMatchObject({ resourceType: "handoff", resourceId: handoffId });
  });

  it("refuses bad input with field paths, unknown resources with 404, and requests without a key", async () => {
    const tooLong = await create({ resource_type: "handoff", resource_id: handoffId, expires_in_seconds: 31 * 86_400 });
    expect(tooLong.status).toBe(400);
    expect((await contractJson(tooLong, "POST /api/v1/shares")).error.details[0].path).toBe("expires_in_seconds");
    const badType = await create({ resource_type: "database", resource_id: "x" });
    expect((await badType.json()).error.details[0].path).toBe("resource_type");
    expect((await create({ resource_type: "intercept", resource_id: "int_nope" })).status).toBe(404);
    expect((await create({ resource_type: "handoff", resource_id: handoffId }, null)).status).toBe(401);
    expect((await revokeShare(new Request("http://localhost/api/v1/shares/x", { method: "DELETE" }), withParams({ id: "x" }))).status).toBe(401);
  });

  it("expires links by the clock and lists them with status and views", async () => {
    const res = await create({ resource_type: "agent", resource_id: "fetch_and_claim", expires_in_seconds: 3600 });
    const { url, id } = await contractJson(res, "POST /api/v1/shares");
    const token = url.replace("/s/", "");
    expect(await openShare(token)).not.toBeNull();
    setClock(3600_000 + 1);
    expect(await openShare(token)).toBeNull();
    const list = await contractJson(await listShares(getRequest("/api/v1/shares", TEST_KEY), noParams), "GET /api/v1/shares");
    const mine = list.shares.find((s: { id: string }) => s.id === id);
    expect(mine.status).toBe("expired");
    const first = list.shares.find((s: { resource_type: string }) => s.resource_type === "handoff");
    expect(first.view_count).toBe(1);
    setClock(0);
  });

  it("revokes links: the token stops working at once", async () => {
    const { url, id } = await (await create({ resource_type: "agent", resource_id: "fetch_and_claim" })).json();
    const token = url.replace("/s/", "");
    const del = await revokeShare(new Request(`http://localhost/api/v1/shares/${id}`, { method: "DELETE", headers: { authorization: `Bearer ${TEST_KEY}` } }), withParams({ id }));
    expect(del.status).toBe(204);
    expect(await openShare(token)).toBeNull();
    const again = await revokeShare(new Request(`http://localhost/api/v1/shares/nope`, { method: "DELETE", headers: { authorization: `Bearer ${TEST_KEY}` } }), withParams({ id: "nope" }));
    expect(again.status).toBe(404);
  });

  it("treats unknown and malformed tokens alike", async () => {
    expect(await openShare("x".repeat(43))).toBeNull();
    expect(await openShare("'; DROP TABLE shares; --")).toBeNull();
  });
});
