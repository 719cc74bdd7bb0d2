// Each integration suite runs once on a real SQLite file and once on a real PostgreSQL
// database, both migrated with Verdict's own runner, and points DATABASE_URL at it.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { databaseConfig, type Dialect } from "@/lib/db/config";
import { migrate } from "@/lib/ingest/migrate";
import { getDb } from "@/lib/db/client";

export const DIALECTS: Dialect[] = ["sqlite", "postgresql"];

/** A new, migrated database; `root` holds the prisma/migrations to apply (default: this repository's). */
export async function freshDatabase(dialect: Dialect, root?: string): Promise<string> {
  let url: string;
  if (dialect === "sqlite") {
    url = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "verdict-test-")), "verdict.db")}`;
  } else {
    const admin = inject("pgAdminUrl");
    const name = `verdict_${randomBytes(6).toString("hex")}`;
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(`CREATE DATABASE "${name}"`);
    await c.end();
    url = admin.replace(/\/postgres$/, `/${name}`);
  }
  await migrate(databaseConfig({ DATABASE_URL: url }), root);
  return url;
}

/** Points the app at a fresh, migrated database of that kind and returns its client. */
export async function useFreshDatabase(dialect: Dialect) {
  process.env.DATABASE_URL = await freshDatabase(dialect);
  return getDb();
}
