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
  return {
    async write(rows) {
      // COPY outside BEGIN is its own transaction.
      const stream = client.query(copyFrom(`COPY "intercepts" (${cols}) FROM STDIN`));
      await pipeline(Readable.from([copyLines(rows.map((r) => interceptValues(r, "postgresql")))]), stream);
    },
    async close() {
      await client.end();
    },
  };
}

export async function rawWriter(dialect: Dialect, url: string): Promise<RawWriter> {
  return dialect === "sqlite" ? sqliteWriter(url) : postgresWriter(url);
}
