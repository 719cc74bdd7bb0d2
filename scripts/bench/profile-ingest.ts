// Where ingest time goes, phase by phase, in-process on a fresh SQLite file or PostgreSQL database (no HTTP):
// `npx tsx scripts/bench/profile-ingest.ts [batches] [--postgres]`. A profiling aid, not the benchmark.
import { Databases } from "./databases";
import { createDb } from "../../lib/db/client";
import { parseIngestBody } from "../../lib/api-contract/ingest";
import { prepareBatch } from "../../lib/ingest/prepare";
import { storeBatch } from "../../lib/ingest/store";
import { benchRecords } from "./records";

const batches = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20);
const dbs = new Databases();
const url = await dbs.fresh(process.argv.includes("--postgres") ? "postgresql" : "sqlite");
const env = { ...process.env, DATABASE_URL: url };
const { db, dialect } = createDb(env);
const gen = { agents: 50, startMs: Date.UTC(2026, 0, 1), source: "prof" };
const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ records: benchRecords(b * 1000, (b + 1) * 1000, gen) }));
const t = { parse: 0, prepare: 0, store: 0 };
for (const body of bodies) {
  let t0 = performance.now();
  const parsed = parseIngestBody(body, "application/json");
  if ("status" in parsed) throw new Error(parsed.message);
  t.parse += performance.now() - t0;
  t0 = performance.now();
  const p = prepareBatch(parsed.records, env);
  t.prepare += performance.now() - t0;
  t0 = performance.now();
  await storeBatch({ db, dialect }, p.batch);
  t.store += performance.now() - t0;
}
const per = (x: number) => (x / batches).toFixed(1);
console.log(`ms per 1000-record batch: parse ${per(t.parse)}, prepare ${per(t.prepare)}, store ${per(t.store)}; total ${per(t.parse + t.prepare + t.store)}`);
await db.$disconnect();
await dbs.close();
