// A real Verdict server process (`next start` on a production build) for the tests that need
// one: concurrency across connections, and SIGKILL in the middle of ingest.
// VERDICT_TEST_DIST_DIR names a build made beforehand (scripts/test.sh); without it the
// build goes to .next-robust, made once when missing.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { freePort } from "./postgres";
import { serverNodeOptions } from "../../lib/server-runtime";

const ROOT = path.resolve(import.meta.dirname, "../..");

export function testDistDir(): string {
  const dir = process.env.VERDICT_TEST_DIST_DIR || ".next-robust";
  if (!existsSync(path.join(ROOT, dir, "BUILD_ID"))) {
    execFileSync(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "build"], {
      cwd: ROOT,
      env: { ...process.env, NEXT_DIST_DIR: dir, NEXT_TELEMETRY_DISABLED: "1" },
      stdio: "inherit",
    });
  }
  return dir;
}

export interface ServerProcess {
  url: string;
  proc: ChildProcess;
  /** what the server printed so far */
  output(): string;
  /** SIGKILL: no shutdown hook runs, like a power cut of the process */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

/** Whether the port accepts a connection (no request sent: nothing in the app runs). */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, "127.0.0.1");
    s.once("connect", () => (s.destroy(), resolve(true)));
    s.once("error", () => resolve(false));
  });
}

/**
 * `ready: "port"` waits only until the server listens, so the test's own first request is
 * the server's first: what a user who opens a page first does (GET /api/health would
 * otherwise have loaded the route bundle's modules before anything else).
 * extraEnv: more environment for the server (e.g. VERDICT_ADMIN_PASSWORD); a value of undefined removes the variable.
 */
export async function startServer(
  databaseUrl: string,
  apiKey: string,
  distDir = testDistDir(),
  extraEnv: Record<string, string | undefined> = {},
  ready: "health" | "port" = "health",
): Promise<ServerProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS), NEXT_DIST_DIR: distDir, DATABASE_URL: databaseUrl, VERDICT_API_KEY: apiKey, NEXT_TELEMETRY_DISABLED: "1", ...extraEnv };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const proc = spawn(process.execPath, [path.join(ROOT, "node_modules/next/dist/bin/next"), "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true, // its own process group, so a kill reaches every child
  });
  let output = "";
  proc.stdout!.on("data", (d) => (output += d));
  proc.stderr!.on("data", (d) => (output += d));
  const exited = new Promise<void>((r) => proc.once("exit", () => r()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    if (proc.exitCode !== null) throw new Error(`the server exited: ${output}`);
    try {
      if (ready === "port" ? await listening(port) : (await fetch(`${url}/api/health`)).ok) break;
    } catch {
      /* not listening yet */
    }
    if (i > 600) throw new Error(`the server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const signal = async (sig: NodeJS.Signals) => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    process.kill(-proc.pid!, sig);
    await exited;
  };
  return { url, proc, output: () => output, kill: () => signal("SIGKILL"), stop: () => signal("SIGTERM") };
}
