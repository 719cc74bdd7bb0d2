// Applies prisma/migrations/<dialect>/<NNNN_name>/migration.sql in order, each once, with
// the database's own driver. Verdict runs this instead of `prisma migrate deploy`, which
// needs a native engine or (on PostgreSQL) an adapter that cannot read the catalogue.
// What must follow on the same connection (the causes refresh, which needs the analysis)
// is the caller's `after` (lib/ingest/migrate.ts): lib/db only runs SQL.
import { mkdirSync, readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseConfig, Dialect } from "./config";
import type { Tx } from "./client";

const LEDGER = `CREATE TABLE IF NOT EXISTS "_verdict_migrations" ("name" TEXT PRIMARY KEY, "applied_at" TEXT NOT NULL)`;

export function migrationsDir(dialect: DatabaseConfig["dialect"], root = process.cwd()): string {
  return path.join(root, "prisma", "migrations", dialect);
}

export function listMigrations(dir: string): { name: string; sql: string }[] {
  if (!existsSync(dir)) throw new Error(`no migrations folder at ${dir}`);
  return readdirSync(dir)
    .filter((d) => /^\d{4}_/.test(d))
    .sort()
    .map((name) => ({ name, sql: readFileSync(path.join(dir, name, "migration.sql"), "utf8") }));
}

export type Migration = { name: string; sql: string };

/**
 * The migration's own connection, handed to `after` once the migrations are applied (still
 * under the PostgreSQL migration lock): raw SQL on `tx`, and `inTransaction` to run a step in
 * one transaction (SQLite: BEGIN IMMEDIATE).
 */
export interface MigrationConnection {
  tx: Tx;
  dialect: Dialect;
  inTransaction: (fn: () => Promise<void>) => Promise<void>;
}

export type AfterMigrations = (conn: MigrationConnection, migrations: Migration[]) => Promise<void>;

/** Returns the names of the migrations it applied (empty when the database was current). */
export async function migrateSchema(config: DatabaseConfig, root = process.cwd(), after?: AfterMigrations): Promise<string[]> {
  const migrations = listMigrations(migrationsDir(config.dialect, root));
  return config.dialect === "sqlite" ? migrateSqlite(config.url, migrations, after) : migratePostgres(config.url, migrations, after);
}

async function migrateSqlite(file: string, migrations: Migration[], after?: AfterMigrations): Promise<string[]> {
  mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // WAL lets readers go on while an ingest transaction writes.
    db.pragma("journal_mode = WAL");
    db.exec(LEDGER);
    const done = new Set(db.prepare(`SELECT name FROM "_verdict_migrations"`).all().map((r) => (r as { name: string }).name));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      db.transaction(() => {
        db.exec(m.sql);
        db.prepare(`INSERT INTO "_verdict_migrations" (name, applied_at) VALUES (?, ?)`).run(m.name, new Date().toISOString());
      })();
      applied.push(m.name);
    }
    const tx = {
      $queryRawUnsafe: async (sql: string, ...p: unknown[]) => db.prepare(sql).all(...p),
      $executeRawUnsafe: async (sql: string, ...p: unknown[]) => db.prepare(sql).run(...p).changes,
    } as unknown as Tx;
    await after?.({ tx, dialect: "sqlite", inTransaction: async (fn) => {
      db.exec("BEGIN IMMEDIATE");
      try {
        await fn();
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    } }, migrations);
    return applied;
  } finally {
    db.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[], after?: AfterMigrations): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    // One migrator at a time: two servers starting together must not both apply 0001.
    await client.query("SELECT pg_advisory_lock(7464321)");
    await client.query(LEDGER);
    const done = new Set((await client.query(`SELECT name FROM "_verdict_migrations"`)).rows.map((r) => r.name as string));
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.name)) continue;
      await client.query("BEGIN");
      try {
        await client.query(m.sql);
        await client.query(`INSERT INTO "_verdict_migrations" (name, applied_at) VALUES ($1, $2)`, [m.name, new Date().toISOString()]);
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw new Error(`migration ${m.name} failed: ${(e as Error).message}`);
      }
      applied.push(m.name);
    }
    const tx = {
      $queryRawUnsafe: async (sql: string, ...p: unknown[]) => (await client.query(sql, p)).rows,
      $executeRawUnsafe: async (sql: string, ...p: unknown[]) => (await client.query(sql, p)).rowCount ?? 0,
    } as unknown as Tx;
    await after?.({ tx, dialect: "postgresql", inTransaction: async (fn) => {
      await client.query("BEGIN");
      try {
        await fn();
        await client.query("COMMIT");
      } catch (e) {
        await client.query("ROLLBACK");
        throw e;
      }
    } }, migrations);
    return applied;
  } finally {
    await client.query("SELECT pg_advisory_unlock(7464321)").catch(() => {});
    await client.end();
  }
}
