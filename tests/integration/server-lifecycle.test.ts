// The server process under load and at its ends: a bad setting stops the start (naming the
// variable), 48 clients sending 10 MiB bodies at once leave the server under 1 GB of memory
// (bodies beyond VERDICT_INGEST_CONCURRENCY wait, or get 503 + Retry-After and are sent
// again), and `npm start` exits 0 after a clean SIGTERM or Ctrl-C.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { DIALECTS, freshDatabase, useFreshDatabase } from "../support/databases";
import { TEST_KEY } from "../support/http";
import { startServer, testDistDir, type ServerProcess } from "../support/server";
import { freePort } from "../support/postgres";
import { rawRequest } from "../support/raw-http";

const ROOT = path.resolve(import.meta.dirname, "../..");
const MiB = 1024 * 1024;

/** Peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return Number(m![1]) * 1024;
}

/** One ingest body of just under 10 MiB: 250 recorded calls with ~40 KB responses. */
function bigBody(): string {
  const filler = "x".repeat(40_000);
  const records = Array.from({ length: 250 }, (_, i) => ({
    type: "intercept",
    id: `big-${i}`,
    source: "load",
    agent_id: "loader",
    action_name: "fetch_big",
    source_url: `https://big.example/item/${i}`,
    request_payload: { url: `https://big.example/item/${i}`, method: "GET" },
    raw_response: JSON.stringify({ i, filler }),
    created_at: new Date(Date.UTC(2026, 10, 20, 10, 0, i)).toISOString(),
  }));
  const body = JSON.stringify({ records });
  expect(body.length).toBeGreaterThan(9.5 * MiB);
  expect(body.length).toBeLessThan(10 * MiB);
  return body;
}

describe("a bad setting stops the start", () => {
  it("next start with VERDICT_AUTH_FAILURES_PER_MINUTE=abc or 0 (or a bad proxy list) exits, naming the variable", async () => {
    const url = await freshDatabase("sqlite");
    for (const [name, value] of [
      ["VERDICT_AUTH_FAILURES_PER_MINUTE", "abc"],
      ["VERDICT_AUTH_FAILURES_PER_MINUTE", "0"],
      ["VERDICT_TRUSTED_PROXIES", "proxy.internal"],
    ]) {
      const started = startServer(url, TEST_KEY, testDistDir(), { [name]: value });
      await expect(started, `${name}=${value}`).rejects.toThrow(new RegExp(`the server exited[\\s\\S]*${name}`));
    }
  });

  it("npm start with VERDICT_AUTH_FAILURES_PER_MINUTE=0 exits 1 with the reason, before touching the database", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "verdict-badenv-"));
    const db = path.join(dir, "verdict.db");
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: `file:${db}`, PORT: String(await freePort()), HOST: "127.0.0.1", NEXT_DIST_DIR: testDistDir(), VERDICT_AUTH_FAILURES_PER_MINUTE: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
    expect(code).toBe(1);
    expect(out).toMatch(/VERDICT_AUTH_FAILURES_PER_MINUTE="0": must be at least 1/);
    expect(existsSync(db)).toBe(false);
  });
});

describe("npm start and its signals", () => {
  async function npmStart() {
    const port = await freePort();
    const child = spawn("npm", ["start"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: await freshDatabase("sqlite"), PORT: String(port), HOST: "127.0.0.1", NEXT_DIST_DIR: testDistDir(), NEXT_TELEMETRY_DISABLED: "1" },
      stdio: ["ignore", "pipe", "pipe"],
      detached: true, // its own process group, like a terminal's job
    });
    let out = "";
    child.stdout!.on("data", (d) => (out += d));
    child.stderr!.on("data", (d) => (out += d));
    const exited = new Promise<{ code: number | null; signal: string | null }>((r) => child.on("exit", (code, signal) => r({ code, signal })));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`npm start exited: ${out}`);
      if (await fetch(`${url}/api/health`).then((r) => r.ok).catch(() => false)) break;
      if (i > 600) throw new Error(`npm start did not start: ${out}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    return { child, url, exited, output: () => out };
  }

  it("SIGTERM to npm (as systemd or docker stop sends it) ends the server and npm exits 0", async () => {
    const s = await npmStart();
    s.child.kill("SIGTERM");
    const end = await s.exited;
    expect(end, s.output()).toEqual({ code: 0, signal: null });
    expect(await fetch(`${s.url}/api/health`).then(() => "still serving").catch(() => "stopped")).toBe("stopped");
  });

  it("Ctrl-C (SIGINT to the whole process group) ends it with exit 0 too", async () => {
    const s = await npmStart();
    process.kill(-s.child.pid!, "SIGINT");
    const end = await s.exited;
    expect(end, s.output()).toEqual({ code: 0, signal: null });
    expect(await fetch(`${s.url}/api/health`).then(() => "still serving").catch(() => "stopped")).toBe("stopped");
  });
});

describe.each(DIALECTS)("48 parallel 10 MiB ingest bodies on %s", (dialect) => {
  let server: ServerProcess;
  beforeAll(async () => {
    await useFreshDatabase(dialect);
    server = await startServer(process.env.DATABASE_URL!, TEST_KEY);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("peak server memory stays under 1 GB; the bodies beyond the limit wait or get 503 with Retry-After, and all are stored once sent again", async () => {
    const body = bigBody();
    const payload = Buffer.from(body);
    const before = peakRss(server.proc.pid!);
    const statuses: Record<string, number> = {};
    const healthMs: number[] = [];
    let loading = true;
    const probe = (async () => {
      while (loading) {
        const t0 = performance.now();
        await rawRequest(`${server.url}/api/health`);
        healthMs.push(performance.now() - t0);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const t0 = Date.now();
    const send = async (): Promise<void> => {
      for (;;) {
        // A new connection per request (as 48 separate clients would have), so no request
        // rides on a kept-alive connection the server has just closed.
        const res = await rawRequest(`${server.url}/api/v1/ingest`, { method: "POST", headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" }, body: payload });
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        const answer = JSON.parse(res.text);
        if (res.status === 200) {
          expect(answer.accepted + answer.duplicates).toBe(250);
          return;
        }
        expect(res.status, JSON.stringify(answer).slice(0, 300)).toBe(503);
        expect(answer.error.code).toBe("overloaded");
        const retry = Number(res.headers["retry-after"]);
        expect(retry).toBeGreaterThan(0);
        await new Promise((r) => setTimeout(r, retry * 1000));
      }
    };
    try {
      await Promise.all(Array.from({ length: 48 }, send));
    } finally {
      loading = false;
      await probe.catch(() => {});
    }
    const peak = peakRss(server.proc.pid!);
    const sorted = healthMs.sort((a, b) => a - b);
    process.stdout.write(
      `[load ${dialect}] 48 × ${(body.length / MiB).toFixed(1)} MiB in ${((Date.now() - t0) / 1000).toFixed(1)} s; answers ${JSON.stringify(statuses)}; ` +
        `server peak RSS ${(before / MiB).toFixed(0)} MiB before, ${(peak / MiB).toFixed(0)} MiB after; /api/health during the load: median ${sorted[sorted.length >> 1]?.toFixed(0)} ms, max ${sorted.at(-1)?.toFixed(0)} ms\n`,
    );
    expect(peak).toBeLessThan(1024 * MiB);
    const stored = await (await fetch(`${server.url}/api/v1/agents`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).json();
    expect(stored.agents.find((a: { agent_id: string }) => a.agent_id === "loader")?.intercepts).toBe(250);
  });
});
