// A real production server for the benchmark: `next build` into its own dist dir (once),
// then `next start` against the database under test.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
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
  /** CPU seconds (user + system, all threads) the server's processes have used so far. */
  cpuSeconds(): number;
  /** CPU seconds of the server processes' main threads only (the thread that serves requests and stores). */
  mainThreadCpuSeconds(): number;
  /** Resident memory of the server (its largest process: next-server), in MB. */
  rssMb(): number;
  stop(): Promise<void>;
}

/** Every process, with its command name and its /proc/<pid>/stat fields after the name (state ppid pgrp … utime(14) stime(15) cutime cstime). */
export function processStats(): { pid: string; comm: string; fields: string[] }[] {
  const out: { pid: string; comm: string; fields: string[] }[] = [];
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // The command name may hold spaces: the fields start after its closing parenthesis.
      const close = stat.lastIndexOf(")");
      out.push({ pid, comm: stat.slice(stat.indexOf("(") + 1, close), fields: stat.slice(close + 2).split(" ") });
    } catch {
      // the process ended meanwhile
    }
  }
  return out;
}

const USER_HZ = 100; // clock ticks per second in /proc on Linux

/** CPU seconds from /proc stat fields (as processStats gives them): the process's own utime + stime, and with `children` also its reaped children's (cutime + cstime). */
export function cpuSecondsOf(fields: string[], children = false): number {
  const ticks = Number(fields[11]) + Number(fields[12]) + (children ? Number(fields[13]) + Number(fields[14]) : 0);
  return ticks / USER_HZ;
}

/** The processes of group `pgid`. */
function groupProcesses(pgid: number): { pid: string; fields: string[] }[] {
  return processStats().filter(({ fields }) => Number(fields[2]) === pgid);
}

/** The largest resident set (VmRSS) among the processes of group `pgid`, in MB. */
export function groupRssMb(pgid: number): number {
  let max = 0;
  for (const { pid } of groupProcesses(pgid)) {
    try {
      max = Math.max(max, Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1] ?? 0) / 1024);
    } catch {
      // the process ended meanwhile
    }
  }
  return Math.round(max);
}

/**
 * CPU seconds of the main threads of the group's processes (/proc/<pid>/task/<pid>/stat): the
 * thread that serves requests and, on SQLite, stores every batch. Work moved to a worker thread
 * (body preparation, alert delivery) leaves this figure; it stays in groupCpuSeconds.
 */
export function groupMainThreadCpuSeconds(pgid: number): number {
  let total = 0;
  for (const { pid } of groupProcesses(pgid)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      total += cpuSecondsOf(fields);
    } catch {
      // the process ended meanwhile
    }
  }
  return total;
}

/**
 * CPU seconds of every process in the group `pgid` (npx and next, with their threads), from
 * /proc: a cost figure that other work on the machine disturbs far less than a rate does.
 */
export function groupCpuSeconds(pgid: number): number {
  return groupProcesses(pgid).reduce((total, { fields }) => total + cpuSecondsOf(fields), 0);
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
    cpuSeconds: () => groupCpuSeconds(child.pid!),
    mainThreadCpuSeconds: () => groupMainThreadCpuSeconds(child.pid!),
    rssMb: () => groupRssMb(child.pid!),
    async stop() {
      if (exited) return;
      // npx → next: signal the whole process group we started.
      process.kill(-child.pid!, "SIGTERM");
      await new Promise((r) => child.once("exit", r));
    },
  };
}
