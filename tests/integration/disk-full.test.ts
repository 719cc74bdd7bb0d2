// A full disk under SQLite: the batch that hits it fails whole (nothing half-stored), the
// answer says why, and once space returns the server serves again, ingest included, without
// a restart. Before, SQLite's own rollback made Prisma's ROLLBACK statement fail, the
// transaction's locks were never freed, and every later database request hung.
// Runs on a small tmpfs (mounting needs root; skipped with the reason printed otherwise).
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseConfig } from "@/lib/db/config";
import { migrate } from "@/lib/ingest/migrate";
import { TEST_KEY } from "../support/http";
import { startServer, type ServerProcess } from "../support/server";

const mountPoint = mkdtempSync(path.join(os.tmpdir(), "verdict-tmpfs-"));
let mounted = false;
try {
  execFileSync("mount", ["-t", "tmpfs", "-o", "size=24m", "tmpfs", mountPoint], { stdio: "pipe" });
  mounted = true;
} catch (e) {
  console.log(`[disk-full] skipped: cannot mount a tmpfs here (${(e as Error).message.split("\n")[0]})`);
}

const batch = (prefix: string, n: number) => ({
  records: Array.from({ length: n }, (_, i) => ({
    type: "intercept", id: `${prefix}-${i}`, agent_id: "disk_agent", action_name: "fetch_page",
    source_url: `https://pages.example.com/p/${i}`, request_payload: { method: "GET", url: `https://pages.example.com/p/${i}` },
    raw_response: { body: `${prefix}-${i}-`.padEnd(2000, "x") }, created_at: new Date(Date.UTC(2026, 10, 20, 10) + i).toISOString(),
  })),
});

const call = (url: string, init: RequestInit = {}) => fetch(url, { ...init, signal: AbortSignal.timeout(15_000) });
const ingest = (url: string, body: unknown) =>
  call(`${url}/api/v1/ingest`, { method: "POST", headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" }, body: JSON.stringify(body) });
const stored = async (url: string) =>
  (await (await call(`${url}/api/v1/agents`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json()).agents.find((a: { agent_id: string }) => a.agent_id === "disk_agent")?.intercepts ?? 0;

describe.skipIf(!mounted)("SQLite on a disk that fills up", () => {
  let server: ServerProcess;
  const ballast = path.join(mountPoint, "ballast");
  beforeAll(async () => {
    const url = `file:${path.join(mountPoint, "verdict.db")}`;
    await migrate(databaseConfig({ DATABASE_URL: url }));
    server = await startServer(url, TEST_KEY);
  });
  afterAll(async () => {
    await server?.stop();
    if (mounted) execFileSync("umount", [mountPoint]);
    rmSync(mountPoint, { recursive: true, force: true });
  });

  it("the batch that hits the full disk fails whole; once space returns, everything works again without a restart", async () => {
    expect((await ingest(server.url, batch("before", 50))).status).toBe(200);
    expect(await stored(server.url)).toBe(50);
    // Leave about 1 MB free, then send ~4 MB.
    const free = Number(execFileSync("df", ["--output=avail", "-B1", mountPoint]).toString().split("\n")[1]);
    writeFileSync(ballast, Buffer.alloc(Math.max(0, free - 1024 * 1024)));
    const full = await ingest(server.url, batch("full", 2000));
    expect(full.status).toBe(507);
    expect((await full.json()).error.code).toBe("storage_full");
    // The server still answers while the disk is full, and nothing of that batch was kept.
    expect((await call(`${server.url}/api/health`)).status).toBe(200);
    expect(await stored(server.url)).toBe(50);
    rmSync(ballast);
    const after = await ingest(server.url, batch("full", 2000));
    expect(after.status, await after.clone().text()).toBe(200);
    expect((await after.json()).accepted).toBe(2000);
    expect(await stored(server.url)).toBe(2050);
    expect((await call(`${server.url}/agents`)).status).toBe(200);
  });
});
