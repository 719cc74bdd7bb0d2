// A bad VERDICT_* value stops the real server start, naming the variable: `npm start` for
// every checked variable (before it touches the database), and `next start` (the
// instrumentation hook) for some of the newer ones.
import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { BAD_VALUES } from "@/lib/config/bad-values.test-helpers";
import { freshDatabase } from "../support/databases";
import { TEST_KEY } from "../support/http";
import { startServer, testDistDir } from "../support/server";
import { freePort } from "../support/postgres";

const ROOT = path.resolve(import.meta.dirname, "../..");

async function npmStart(env: Record<string, string>): Promise<{ code: number | null; out: string; db: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), "verdict-badenv-"));
  const db = path.join(dir, "verdict.db");
  const child = spawn("npm", ["start"], {
    cwd: ROOT,
    // NEXT_DIST_DIR is only named: a bad value must stop the start before any build is looked for.
    env: { ...process.env, DATABASE_URL: `file:${db}`, PORT: String(await freePort()), HOST: "127.0.0.1", NEXT_DIST_DIR: process.env.VERDICT_TEST_DIST_DIR || ".next-test", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (out += d));
  const code = await new Promise<number | null>((r) => child.on("exit", (c) => r(c)));
  return { code, out, db };
}

describe("a bad VERDICT_* value stops the start", () => {
  it.each(BAD_VALUES)("npm start with %s=%s exits 1 naming it, before touching the database", async (name, value) => {
    const { code, out, db } = await npmStart({ [name]: value });
    expect(code, out).toBe(1);
    expect(out).toContain(`Verdict cannot start: ${name}=`);
    expect(existsSync(db)).toBe(false);
  });

  it("a secret's bad value is not echoed", async () => {
    const { code, out } = await npmStart({ VERDICT_SESSION_SECRET: "hunter2-is-short" });
    expect(code).toBe(1);
    expect(out).toContain("VERDICT_SESSION_SECRET=(16 characters, not shown)");
    expect(out).not.toContain("hunter2");
  });

  it("next start refuses the newer variables too", async () => {
    const url = await freshDatabase("sqlite");
    for (const [name, value] of [
      ["VERDICT_PUBLIC_URL", "verdict.example.com"],
      ["VERDICT_ALERTS_POLL_MS", "-1"],
      ["VERDICT_PG_POOL", "many"],
    ]) {
      await expect(startServer(url, TEST_KEY, testDistDir(), { [name]: value }), `${name}=${value}`).rejects.toThrow(new RegExp(`the server exited[\\s\\S]*${name}`));
    }
  });
});
