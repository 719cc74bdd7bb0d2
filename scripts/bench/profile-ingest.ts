// Where ingest time goes, phase by phase, in-process on a fresh SQLite file (no HTTP):
// `npx tsx scripts/bench/profile-ingest.ts [batches]`. A profiling aid, not the benchmark.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { migrate } from "../../lib/db/migrate";
import { createDb } from "../../lib/db/client";
import { databaseConfig } from "../../lib/db/config";
import { parseIngestBody } from "../../lib/records/ingest-request";
import { prepareBatch } from "../../lib/ingest/ingest";
import { storeBatch } from "../../lib/db/queries/ingest";
import { benchRecords } from "./records";

const batches = Number(process.argv[2] ?? 20);
const dir = mkdtempSync(path.join(tmpdir(), "verdict-prof-"));
const url = `file:${path.join(dir, "p.db")}`;
const env = { ...process.env, DATABASE_URL: url };
await migrate(databaseConfig(env));
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
  await storeBatch(db, dialect, p.batch);
  t.store += performance.now() - t0;
}
const per = (x: number) => (x / batches).toFixed(1);
console.log(`ms per 1000-record batch: parse ${per(t.parse)}, prepare ${per(t.prepare)}, store ${per(t.store)}; total ${per(t.parse + t.prepare + t.store)}`);
await db.$disconnect();
