// Where alerts cost ingest, in-process on a fresh SQLite file (no HTTP), by CPU time, which a
// busy machine disturbs less than wall time: `npx tsx scripts/bench/profile-alerts.ts [batches]
// [--rules=N] [--pass-every=K] [--window-ms=W]`. Stores `batches` batches of the benchmark's records with N
// rules wanting every kind (to a loopback receiver answering 200) and runs one delivery pass
// every K batches (the benchmark stores about 8 batches a second; the loop polls once a second).
// Prints the store's CPU per batch and the loop's CPU per pass and per 1,000 records.
// Run it with --rules=0 and --rules=3, alternating, to compare. A profiling aid, not the benchmark.
import { createServer } from "node:http";
import { Databases } from "./databases";
import { parseIngestBody } from "../../lib/api-contract/ingest";
import { prepareBatch } from "../../lib/ingest/prepare";
import { storeBatch } from "../../lib/ingest/store";
import { benchRecords } from "./records";

const arg = (name: string, d: number) => Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.split("=")[1] ?? d);
const batches = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 40);
const rules = arg("rules", 3);
const passEvery = arg("pass-every", 8);
const windowMs = arg("window-ms", 0);

const dbs = new Databases();
const url = await dbs.fresh("sqlite");
process.env.DATABASE_URL = url;
process.env.VERDICT_WEBHOOKS_ALLOW_HTTP = "1";
// Imported after DATABASE_URL is set: getDb() opens this file.
const { getDb } = await import("../../lib/db/client");
const { insertAlertRule, alertId } = await import("../../lib/db/queries/alerts");
const { deliveryPass, loopSettings } = await import("../../lib/alerts/delivery-loop");
const { db, dialect } = getDb();

let received = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => ((received++), res.writeHead(200).end()));
});
await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
const hook = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
for (let i = 0; i < rules; i++) {
  await insertAlertRule({ db, dialect }, {
    id: alertId("alr"), name: `prof ${i}`, events: ["leak", "caught", "block", "disagreement"], category: null, agentId: null, source: null,
    destinationType: "webhook", destinationUrl: hook, secret: "s".repeat(32), createdAt: Date.now(),
  });
}
// By default no grouping window: every pass finds something to send, the worst case for the
// loop. --window-ms=60000 is the server's default: most passes add to messages waiting their minute.
const s = { ...loopSettings(), windowMs };
// As the server's loop keeps it between passes (when it last routed).
const state = { routedAt: 0 };

const gen = { agents: 50, startMs: Date.UTC(2026, 0, 1), source: "prof" };
const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ records: benchRecords(b * 1000, (b + 1) * 1000, gen) }));
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let storeCpu = 0, storeWall = 0, loopCpu = 0, loopWall = 0, passes = 0, sent = 0;
// Warm-up: module loading and the first statements, not timed.
{
  const parsed = parseIngestBody(JSON.stringify({ records: benchRecords(0, 200, { ...gen, source: "warm" }) }), "application/json");
  if ("status" in parsed) throw new Error(parsed.message);
  await storeBatch({ db, dialect }, prepareBatch(parsed.records, process.env).batch);
  if (rules) await deliveryPass(s, state);
}
for (let b = 0; b < batches; b++) {
  const parsed = parseIngestBody(bodies[b], "application/json");
  if ("status" in parsed) throw new Error(parsed.message);
  const p = prepareBatch(parsed.records, process.env);
  let c0 = cpuMs(), t0 = performance.now();
  await storeBatch({ db, dialect }, p.batch);
  storeCpu += cpuMs() - c0;
  storeWall += performance.now() - t0;
  if (rules && (b + 1) % passEvery === 0) {
    c0 = cpuMs(); t0 = performance.now();
    sent += await deliveryPass(s, state);
    loopCpu += cpuMs() - c0;
    loopWall += performance.now() - t0;
    passes++;
  }
}
const f = (x: number) => x.toFixed(1);
console.log(`rules ${rules}, ${batches} batches of 1,000: store ${f(storeCpu / batches)} ms CPU (${f(storeWall / batches)} wall) per batch; ` +
  `loop ${passes} passes, ${f(passes ? loopCpu / passes : 0)} ms CPU (${f(passes ? loopWall / passes : 0)} wall) per pass, ${sent} messages sent, ${received} received; ` +
  `store + loop ${f((storeCpu + loopCpu) / batches)} ms CPU per 1,000 records`);
await db.$disconnect();
receiver.close();
await dbs.close();
