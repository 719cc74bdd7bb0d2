// The one Prisma client of the process. SQLite (better-sqlite3) by default, PostgreSQL when
// DATABASE_URL is a postgres:// URL. Both generated clients share one model definition, so
// the SQLite client's type describes either.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { databaseConfig, type Dialect } from "./config";

export type Db = SqliteClient;
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

interface Holder {
  db: Db;
  dialect: Dialect;
  key: string;
}

const globalForDb = globalThis as unknown as { __verdictDb?: Holder };

export function createDb(env: Record<string, string | undefined> = process.env): { db: Db; dialect: Dialect } {
  const config = databaseConfig(env);
  if (config.dialect === "postgresql") {
    const adapter = new PrismaPg({ connectionString: config.url, max: Number(env.VERDICT_PG_POOL ?? 10) });
    return { db: new PostgresClient({ adapter }) as unknown as Db, dialect: "postgresql" };
  }
  // busy timeout: a second process (CLI import beside the server) waits instead of failing.
  const adapter = new PrismaBetterSQLite3({ url: `file:${config.url}`, timeout: 15000 });
  return { db: new SqliteClient({ adapter }), dialect: "sqlite" };
}

/** The shared client; recreated if DATABASE_URL changes (tests switch databases). */
export function getDb(): { db: Db; dialect: Dialect } {
  const key = process.env.DATABASE_URL ?? "";
  const held = globalForDb.__verdictDb;
  if (held && held.key === key) return held;
  const made = createDb();
  globalForDb.__verdictDb = { ...made, key };
  return made;
}
