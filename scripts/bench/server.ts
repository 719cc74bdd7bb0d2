// A real production server for the benchmark: `next build` into its own dist dir (once),
// then `next start` against the database under test.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { serverNodeOptions } from "../../lib/server-runtime";

export const BENCH_DIST_DIR = process.env.NEXT_DIST_DIR || ".next-bench";
export const BENCH_KEY = "bench-api-key-not-secret";

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"], env });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${cmd} ${args.join(" ")} exited with ${code}`))));
  });
}

const baseEnv = (): NodeJS.ProcessEnv => ({ ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: BENCH_DIST_DIR });

/** Builds unless a build exists (or `rebuild`): a benchmark of a stale build measures the wrong code. */
export async function ensureBuild(rebuild: boolean): Promise<void> {
  if (!rebuild && existsSync(`${BENCH_DIST_DIR}/BUILD_ID`)) return;
  console.log(`[bench] next build → ${BENCH_DIST_DIR} ...`);
  await run("npx", ["next", "build"], baseEnv());
}

export interface BenchServer {
  url: string;
  stop(): Promise<void>;
}

export async function startServer(databaseUrl: string, port: number, extraEnv: Record<string, string> = {}): Promise<BenchServer> {
  const env: NodeJS.ProcessEnv = { ...baseEnv(), ...extraEnv, DATABASE_URL: databaseUrl, VERDICT_API_KEY: BENCH_KEY, PORT: String(port), NODE_ENV: "production", NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS) };
  delete env.VERDICT_ADMIN_PASSWORD;
  const child: ChildProcess = spawn("npx", ["next", "start", "-p", String(port), "-H", "127.0.0.1"], { stdio: ["ignore", "pipe", "inherit"], env, detached: true });
  child.stdout?.resume();
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.on("exit", () => (exited = true));
  for (let i = 0; ; i++) {
    if (exited) throw new Error("next start exited before it answered");
    try {
      const res = await fetch(`${url}/api/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i > 600) throw new Error("next start did not answer /api/health within 60 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async stop() {
      if (exited) return;
      // npx → next: signal the whole process group we started.
      process.kill(-child.pid!, "SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
