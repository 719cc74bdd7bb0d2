// Fresh, migrated databases for each measurement: a SQLite file in a temp folder, and a
// PostgreSQL database on a server the bench starts itself (as the integration tests do).
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseConfig, type Dialect } from "../../lib/db/config";
import { migrate } from "../../lib/ingest/migrate";
import { findPgBin, startPostgres, type PgServer } from "../../tests/support/postgres";

export class Databases {
  private pg: PgServer | null = null;
  private dir = mkdtempSync(path.join(os.tmpdir(), "verdict-bench-"));

  /** pgSettings: server settings for the PostgreSQL the bench starts (the growth run turns fsync on). */
  constructor(private pgSettings: Record<string, string> = {}) {}

  static postgresAvailable(): boolean {
    return findPgBin() !== null;
  }

  async fresh(dialect: Dialect): Promise<string> {
    const name = `bench_${randomBytes(5).toString("hex")}`;
    let url: string;
    if (dialect === "sqlite") url = `file:${path.join(this.dir, `${name}.db`)}`;
    else {
      this.pg ??= await startPostgres(this.pgSettings);
      url = await this.pg.createDatabase(name);
    }
    await migrate(databaseConfig({ DATABASE_URL: url }));
    return url;
  }

  async close(): Promise<void> {
    await this.stopPostgres();
    // The SQLite files (1.7 GB after a full read run): left behind, a few runs filled the disk.
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async stopPostgres(): Promise<void> {
    if (!this.pg) return;
    // Run as root, the server sits under runuser, which ignores the SIGINT that stop() sends;
    // so the postmaster itself is told to shut down (fast), found through its pid file.
    const dataDir = await pgDataDirectory(this.pg.url("postgres")).catch(() => null);
    const stopped = this.pg.stop();
    if (dataDir) {
      try {
        process.kill(Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]), "SIGINT");
      } catch {
        // already gone
      }
    }
    await stopped;
  }
}

/** One row of a query with one parameter, with the plain driver (the bench checks its own work). */
async function oneRow(url: string, sql: string, param: string): Promise<Record<string, unknown> | undefined> {
  const config = databaseConfig({ DATABASE_URL: url });
  if (config.dialect === "sqlite") {
    const db = new Database(config.url, { readonly: true });
    try {
      return db.prepare(sql + "?").get(param) as Record<string, unknown> | undefined;
    } finally {
      db.close();
    }
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql + "$1", [param])).rows[0];
  } finally {
    await c.end();
  }
}

/** Rows and leaks stored for one source. */
export async function countStored(url: string, source: string): Promise<{ rows: number; leaks: number }> {
  const r = await oneRow(url, `SELECT COUNT(*) AS n, SUM(CASE WHEN "is_leak" THEN 1 ELSE 0 END) AS l FROM "intercepts" WHERE "source" = `, source);
  return { rows: Number(r?.n ?? 0), leaks: Number(r?.l ?? 0) };
}

/** Verdict's id of the handoff that arrived with this source id. */
export async function findHandoffId(url: string, sourceId: string): Promise<string> {
  const r = await oneRow(url, `SELECT "id" FROM "handoffs" WHERE "source_id" = `, sourceId);
  if (!r) throw new Error(`handoff ${sourceId} was not stored`);
  return String(r.id);
}

async function pgDataDirectory(url: string): Promise<string> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return String((await c.query("SHOW data_directory")).rows[0].data_directory);
  } finally {
    await c.end();
  }
}
