// The raw baseline: the same rows written straight into the same schema with the fastest
// plain means each database offers — better-sqlite3 prepared statements in transactions,
// and PostgreSQL COPY — with no validation, no HTTP and no ORM. Also the bulk loader of the
// read benchmark.
import Database from "better-sqlite3";
import pg from "pg";
import { from as copyFrom } from "pg-copy-streams";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";
import type { Dialect } from "../../lib/db/config";
import { databaseConfig } from "../../lib/db/config";
import { INTERCEPT_COLUMNS, interceptValues, type InterceptRow } from "../../lib/db/queries/ingest";
import { copyLines } from "./copy-text";
import { tuneSqliteConnection } from "../../lib/db/sqlite-settings";
import { monthBoundsUs, monthOfMs, monthOfTs } from "../../lib/db/queries/partitions";
import { MONTHS_BACK, MONTHS_ON_DEMAND } from "../../lib/ingest/partitions";

export interface RawWriter {
  /** stores the rows in one transaction */
  write(rows: InterceptRow[]): Promise<void>;
  close(): Promise<void>;
}

const cols = INTERCEPT_COLUMNS.map((c) => `"${c}"`).join(", ");

export function sqliteWriter(url: string): RawWriter {
  const db = new Database(databaseConfig({ DATABASE_URL: url }).url);
  tuneSqliteConnection(db); // the settings the app's connection has
  const insert = db.prepare(`INSERT INTO "intercepts" (${cols}) VALUES (${INTERCEPT_COLUMNS.map(() => "?").join(", ")})`);
  const tx = db.transaction((rows: InterceptRow[]) => {
    for (const r of rows) insert.run(interceptValues(r, "sqlite"));
  });
  return {
    async write(rows) {
      tx(rows);
    },
    async close() {
      db.close();
    },
  };
}

export async function postgresWriter(url: string): Promise<RawWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // As Verdict stores them (migration 0015): the rows' months made first, their dedupe keys
  // in intercept_dedupe with them, in one transaction.
  const months = new Set<number>();
  return {
    async write(rows) {
      const now = monthOfMs(Date.now())!;
      for (const r of rows) {
        const m = monthOfTs(r.ts);
        if (m === null || months.has(m) || m < now - MONTHS_BACK || m > now + MONTHS_ON_DEMAND) continue;
        await client.query(`SELECT "verdict_intercepts_partition"($1::timestamp)`, [new Date(monthBoundsUs(m)[0] / 1000).toISOString().slice(0, 19).replace("T", " ")]);
        months.add(m);
      }
      await client.query("BEGIN");
      try {
        await pipeline(Readable.from([copyLines(rows.map((r) => interceptValues(r, "postgresql")))]), client.query(copyFrom(`COPY "intercepts" (${cols}) FROM STDIN`)));
        await pipeline(Readable.from([copyLines(rows.map((r) => [r.dedupeKey, r.id, r.ts]))]), client.query(copyFrom(`COPY "intercept_dedupe" ("dedupe_key", "id", "ts") FROM STDIN`)));
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK").catch(() => {});
        throw e;
      }
    },
    async close() {
      await client.end();
    },
  };
}

export async function rawWriter(dialect: Dialect, url: string): Promise<RawWriter> {
  return dialect === "sqlite" ? sqliteWriter(url) : postgresWriter(url);
}
