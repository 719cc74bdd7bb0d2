// Profiles the production server under the ingest benchmark's load: `next start` with
// --cpu-prof (profile written to /tmp/verdict-prof on exit), 4 clients × batches of 1,000.
// Also prints the CPU each process spent per batch (--no-profile: that alone, without the
// profiler's overhead). `npx tsx scripts/bench/profile-http.ts [batches] [--postgres] [--no-profile]`
// (PROFILE_NODE_FLAGS: more node flags; --alert-rules=N: N rules wanting every event kind, to
// a loopback receiver in this process).
// A profiling aid, not the benchmark.
import { mkdirSync } from "node:fs";
import { Databases } from "./databases";
import { benchRecords } from "./records";
import { spawn } from "node:child_process";
import { createServer } from "node:http";
import { BENCH_DIST_DIR, BENCH_KEY, cpuSecondsOf, processStats } from "./server";
import { serverNodeOptions } from "../../lib/server-runtime";

const batches = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 40);
const dbs = new Databases();
const url = await dbs.fresh(process.argv.includes("--postgres") ? "postgresql" : "sqlite");
mkdirSync("/tmp/verdict-prof", { recursive: true });
// next itself under --cpu-prof (NODE_OPTIONS may not carry it); the profile is written on SIGINT.
const extraFlags = (process.env.PROFILE_NODE_FLAGS ?? "").split(" ").filter(Boolean); // e.g. "--max-semi-space-size=64"
const profiler = process.argv.includes("--no-profile") ? [] : ["--cpu-prof", "--cpu-prof-dir=/tmp/verdict-prof"];
const child = spawn(process.execPath, [...profiler, ...extraFlags, "node_modules/next/dist/bin/next", "start", "-p", "3207", "-H", "127.0.0.1"], {
  stdio: ["ignore", "ignore", "inherit"],
  // The flags `npm start` gives the server (lib/server-runtime.ts); PROFILE_NODE_FLAGS come after, so they win.
  env: { ...process.env, VERDICT_WEBHOOKS_ALLOW_HTTP: "1", NEXT_TELEMETRY_DISABLED: "1", NEXT_DIST_DIR: BENCH_DIST_DIR, DATABASE_URL: url, VERDICT_API_KEY: BENCH_KEY, NODE_ENV: "production", NODE_OPTIONS: serverNodeOptions(process.env.NODE_OPTIONS) },
});
const server = { url: "http://127.0.0.1:3207", stop: () => new Promise((r) => (child.once("exit", r), child.kill("SIGINT"))) };
for (let i = 0; ; i++) {
  const ok = await fetch(`${server.url}/api/health`).then((r) => r.ok, () => false);
  if (ok) break;
  if (i > 600) throw new Error("next start did not answer");
  await new Promise((r) => setTimeout(r, 100));
}
const alertRules = Number(process.argv.find((a) => a.startsWith("--alert-rules="))?.slice(14) ?? 0);
let received = 0;
const receiver = createServer((req, res) => req.resume().on("end", () => ((received++), res.writeHead(200).end())));
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
for (let i = 0; i < alertRules; i++) {
  const res = await fetch(`${server.url}/api/v1/alert-rules`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_KEY}` },
    body: JSON.stringify({ name: `profile ${i}`, events: ["leak", "caught", "block", "disagreement"], destination: { type: "webhook", url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook` } }),
  });
  if (res.status !== 201) throw new Error(`creating an alert rule answered ${res.status}`);
}
const gen = { agents: 50, startMs: Date.UTC(2026, 0, 1), source: "prof" };
const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ records: benchRecords(b * 1000, (b + 1) * 1000, gen) }));
/** CPU seconds (user + system) per process name, from /proc: who spends the two cores. */
function cpuByProcess(): Map<string, number> {
  const out = new Map<string, number>();
  for (const { pid, comm, fields } of processStats()) {
    const who = pid === String(child.pid) ? "verdict server" : pid === String(process.pid) ? "load generator" : comm === "postgres" ? "postgres" : null;
    if (who) out.set(who, (out.get(who) ?? 0) + cpuSecondsOf(fields));
  }
  return out;
}
const cpuBefore = cpuByProcess();
let next = 0;
const t0 = performance.now();
await Promise.all(
  Array.from({ length: 4 }, async () => {
    while (next < batches) {
      const res = await fetch(`${server.url}/api/v1/ingest`, { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_KEY}` }, body: bodies[next++] });
      if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    }
  }),
);
const wall = (performance.now() - t0) / 1000;
console.log(`${Math.round((batches * 1000) / wall)} records/s${profiler.length ? " with the profiler on" : ""}`);
for (const [who, seconds] of cpuByProcess()) {
  const used = seconds - (cpuBefore.get(who) ?? 0);
  console.log(`  ${who}: ${((used * 1000) / batches).toFixed(1)} ms CPU per batch of 1,000 (${(used / wall).toFixed(2)} cores)`);
}
if (alertRules) console.log(`  alert messages received: ${received}`);
await server.stop();
receiver.close();
await dbs.close();
