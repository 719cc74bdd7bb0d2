// A real PostgreSQL server for the tests: initdb in a temp folder, listening on a free
// loopback port, stopped at the end. Uses Debian's binaries (apt-get install postgresql).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import os from "node:os";
import path from "node:path";
import pg from "pg";

export function findPgBin(): string | null {
  const fromPath = (process.env.PATH ?? "").split(":").find((d) => existsSync(path.join(d, "initdb")));
  if (fromPath) return fromPath;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(path.join(root, v, "bin", "initdb"))) return path.join(root, v, "bin");
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

export interface PgServer {
  url(database: string): string;
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * `settings`: server settings (-c name=value) over the tests' defaults; fsync is off unless a
 * caller (the benchmark's growth run, which measures production durability) turns it on.
 */
export async function startPostgres(settings: Record<string, string> = {}): Promise<PgServer> {
  const bin = findPgBin();
  if (!bin) throw new Error("PostgreSQL server binaries not found: apt-get install postgresql");
  const dir = mkdtempSync(path.join(os.tmpdir(), "verdict-pg-"));
  chmodSync(dir, 0o777);
  const data = path.join(dir, "data");
  // The server refuses to run as root; use the postgres account Debian creates.
  const asRoot = process.getuid?.() === 0;
  const wrap = (cmd: string, args: string[]): [string, string[]] => (asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args]);
  const [c1, a1] = wrap(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]);
  execFileSync(c1, a1, { stdio: "pipe" });
  const port = await freePort();
  const [c2, a2] = wrap(path.join(bin, "postgres"), ["-D", data, "-p", String(port), "-h", "127.0.0.1", "-k", dir, ...Object.entries({ fsync: "off", max_connections: "200", ...settings }).flatMap(([k, v]) => ["-c", `${k}=${v}`])]);
  const proc: ChildProcess = spawn(c2, a2, { stdio: "ignore" });
  const url = (db: string) => `postgresql://postgres@127.0.0.1:${port}/${db}`;
  for (let i = 0; ; i++) {
    try {
      const c = new pg.Client({ connectionString: url("postgres") });
      await c.connect();
      await c.end();
      break;
    } catch (e) {
      if (i > 100) throw new Error(`PostgreSQL did not start: ${(e as Error).message}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    url,
    async createDatabase(name) {
      const c = new pg.Client({ connectionString: url("postgres") });
      await c.connect();
      await c.query(`CREATE DATABASE "${name}"`);
      await c.end();
      return url(name);
    },
    async stop() {
      // Signal the postmaster itself: as root it runs under runuser, which does not pass
      // SIGINT on, so killing the child we spawned would leave the server (and the test
      // run) hanging.
      const exited = proc.exitCode !== null ? Promise.resolve() : new Promise((r) => proc.once("exit", r));
      try {
        const pid = Number(readFileSync(path.join(data, "postmaster.pid"), "utf8").split("\n")[0]);
        process.kill(pid, "SIGINT");
      } catch {
        proc.kill("SIGINT");
      }
      const timer = setTimeout(() => proc.kill("SIGKILL"), 15_000);
      await exited;
      clearTimeout(timer);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
