// Export bundles at scale: N records stored through the real ingest path (in-process, 1,000 per
// transaction, so every record is hashed and chained), then `verdict export` and
// `verdict verify-bundle` each in their own process: time and peak RSS (bounded memory means
// the RSS does not grow with N).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Dialect } from "../../lib/db/config";
import Database from "better-sqlite3";
import { createDb, type SqliteConnection, type Tx } from "../../lib/db/client";
import { databaseConfig } from "../../lib/db/config";
import { prepareBatch } from "../../lib/ingest/prepare";
import { INTERCEPT_COLUMNS, interceptValues } from "../../lib/db/queries/ingest";
import { storeBatch } from "../../lib/ingest/store";
import { appendBatch, newBatchId, type Leaf } from "../../lib/db/queries/evidence";
import { recordHash, rowObject } from "../../lib/evidence/canonical";
import { tuneSqliteConnection } from "../../lib/db/sqlite-settings";
import { benchRecords } from "./records";
import { preparedRows } from "./prepare";
import type { Databases } from "./databases";

/** The export's V8 heap limit in the benchmark. */
export const EXPORT_HEAP_MB = 128;

export interface ExportResult {
  records: number;
  load_seconds: number;
  export_seconds: number;
  export_max_rss_mb: number;
  bundle_mb: number;
  verify_seconds: number;
  verify_max_rss_mb: number;
  verified: boolean;
}

function child(args: string[], env: NodeJS.ProcessEnv): { code: number; seconds: number; max_rss_mb: number } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "scripts/bench/export-child.ts", ...args], { env, encoding: "utf8", maxBuffer: 1 << 20 });
  const last = r.stdout.trim().split("\n").pop() ?? "";
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${args[0]} failed: ${r.stderr.slice(0, 500)}`);
  }
}

export async function benchExport(dialect: Dialect, dbs: Databases, o: { records: number }): Promise<ExportResult> {
  const url = await dbs.fresh(dialect);
  const env = { ...process.env, DATABASE_URL: url, VERDICT_SIGNING_KEY_FILE: path.join(mkdtempSync(path.join(os.tmpdir(), "verdict-bench-key-")), "key.pem") };
  const gen = { agents: 50, startMs: Date.UTC(2026, 0, 1), source: "export" };
  const t0 = performance.now();
  if (dialect === "sqlite") await bulkLoadSqlite(url, o.records, gen);
  else {
    const { db } = createDb(env);
    for (let b = 0; b * 1000 < o.records; b++) {
      const raw = benchRecords(b * 1000, Math.min(o.records, (b + 1) * 1000), gen).map((value, index) => ({ index, value }));
      await storeBatch({ db, dialect }, prepareBatch(raw, env).batch);
      if (b % 100 === 99) console.log(`[bench] export: stored ${(b + 1) * 1000} records`);
    }
    await db.$disconnect();
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  const dir = mkdtempSync(path.join(os.tmpdir(), "verdict-bench-export-"));
  const file = path.join(dir, "bundle.ndjson");
  try {
    // A capped heap: if the export held records, it would fail here rather than just use more RSS.
    const ex = child(["export", "--out", file], { ...env, NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ""} --max-old-space-size=${EXPORT_HEAP_MB}` });
    if (ex.code !== 0) throw new Error(`export exited ${ex.code}`);
    const bytes = statSync(file).size;
    const ve = child(["verify-bundle", file], { ...process.env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/none" });
    return {
      records: o.records, load_seconds: Math.round(loadSeconds), export_seconds: ex.seconds, export_max_rss_mb: ex.max_rss_mb,
      bundle_mb: Math.round(bytes / 2 ** 20), verify_seconds: ve.seconds, verify_max_rss_mb: ve.max_rss_mb, verified: ve.code === 0,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * SQLite: the same rows, hashes and evidence batches ingest writes (1,000 records per batch,
 * appendBatch itself), straight through better-sqlite3: the setup of the export measurement
 * only (no leak links or counts, which the export does not read). Minutes instead of an hour.
 */
async function bulkLoadSqlite(url: string, records: number, gen: Parameters<typeof preparedRows>[2]): Promise<void> {
  const conn = new Database(databaseConfig({ DATABASE_URL: url }).url);
  tuneSqliteConnection(conn);
  const cols = [...INTERCEPT_COLUMNS, "record_hash", "batch_id", "batch_pos"];
  const insert = conn.prepare(`INSERT INTO "intercepts" (${cols.map((c) => `"${c}"`).join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`);
  const store = async (values: unknown[][]) => {
    conn.exec("BEGIN IMMEDIATE");
    const batchId = newBatchId();
    const leaves: Leaf[] = [];
    values.forEach((v, pos) => {
      const h = recordHash("intercepts", rowObject(INTERCEPT_COLUMNS, v));
      insert.run([...v, h, batchId, pos]);
      leaves.push([pos, "intercepts", v[0] as string, h]);
    });
    await appendBatch({ db: undefined as unknown as Tx, dialect: "sqlite", sqlite: conn as unknown as SqliteConnection }, batchId, leaves);
    conn.exec("COMMIT");
  };
  for (let b = 0; b * 1000 < records; b++) {
    await store(preparedRows(b * 1000, Math.min(records, (b + 1) * 1000), gen).map((r) => interceptValues(r, "sqlite")));
    if (b % 100 === 99) console.log(`[bench] export: stored ${(b + 1) * 1000} records`);
  }
  conn.close();
}
