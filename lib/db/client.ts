// The one Prisma client of the process. SQLite (better-sqlite3) by default, PostgreSQL when
// DATABASE_URL is a postgres:// URL. Both generated clients share one model definition, so
// the SQLite client's type describes either.
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";
import type BetterSqlite3 from "better-sqlite3";
import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqliteClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresClient } from "./generated/postgresql/client";
import { databaseConfig, type Dialect } from "./config";
import { tuneSqliteConnection } from "./sqlite-settings";
import { serializeStatements } from "./sqlite-serial";
import { setting } from "../config/server-env";

export type Db = SqliteClient;
export type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

/**
 * The one database handle every lib/db function takes: where its statements run (`db`: the
 * shared client, or an open transaction), in which dialect, and — inside a SQLite write
 * transaction — the better-sqlite3 connection that transaction is open on (`sqlite`: the
 * ingest path's prepared statements run there). Made once per request or transaction.
 */
export interface DbHandle<C extends Tx = Tx> {
  readonly db: C;
  readonly dialect: Dialect;
  readonly sqlite?: SqliteConnection;
}

/** The shared client's handle (getDb()): what can open a transaction. */
export type ClientHandle = DbHandle<Db>;

interface Holder extends ClientHandle {
  key: string;
}

const globalForDb = globalThis as unknown as { __verdictDb?: Holder };

export function createDb(env: Record<string, string | undefined> = process.env): ClientHandle {
  const config = databaseConfig(env);
  if (config.dialect === "postgresql") {
    // Our own pool, handed to Prisma, so the ingest hot path can take a connection from the
    // same pool and run its transaction on the plain driver (postgresPoolOf).
    // allowExitOnIdle: idle connections do not keep a CLI or test process alive.
    const pool = new pg.Pool({ connectionString: config.url, max: setting("VERDICT_PG_POOL", env), allowExitOnIdle: true });
    // An idle connection the server drops (restart, failover) emits an error; unheard, that
    // would end the process. The pool replaces the connection on next use.
    pool.on("error", (e) => console.error(`[verdict] PostgreSQL closed an idle connection: ${e.message}`));
    const db = new PostgresClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) }) as unknown as Db;
    handles.set(db, { pool });
    return { db, dialect: "postgresql" };
  }
  // busy timeout: a second process (CLI import beside the server) waits instead of failing.
  const adapter = new PrismaBetterSQLite3({ url: `file:${config.url}`, timeout: 15000 });
  const connections: { current?: SqliteConnection } = {};
  // The adapter opens its better-sqlite3 connection itself; keep a reference to it so the
  // ingest hot path can run prepared statements on that same connection, inside the
  // transaction Prisma opened there (one connection, so one writer and one transaction).
  // Relies on the adapter's public `client` field (pinned: @prisma/adapter-better-sqlite3 6.19.3).
  const connect = adapter.connect.bind(adapter);
  adapter.connect = async () => {
    const opened = await connect();
    connections.current = (opened as unknown as { client: SqliteConnection }).client;
    tuneSqliteConnection(connections.current);
    return serializeStatements(opened, connections.current);
  };
  const db = new SqliteClient({ adapter });
  handles.set(db, { sqlite: connections });
  return { db, dialect: "sqlite" };
}

export type SqliteConnection = BetterSqlite3.Database;

// What lies under each client (its SQLite connection or its pg pool) is kept in ONE map per
// process, on globalThis: Next.js loads this module once per bundle (pages, route handlers),
// while the client itself is shared through globalThis. A module-level map knew only the
// clients its own bundle had created, so after a page had created the client, ingest found
// no SQLite connection (500 on every batch) and no PostgreSQL pool.
interface Handles {
  sqlite?: { current?: SqliteConnection };
  pool?: pg.Pool;
}
const globalHandles = globalThis as unknown as { __verdictDbHandles?: WeakMap<object, Handles> };
const handles: WeakMap<object, Handles> = (globalHandles.__verdictDbHandles ??= new WeakMap());

/** The better-sqlite3 connection under a SQLite client, once the client has connected. */
export function sqliteConnectionOf(db: Db): SqliteConnection | undefined {
  return handles.get(db)?.sqlite?.current;
}

/** The shared client; recreated if DATABASE_URL changes (tests switch databases). */
export function getDb(): ClientHandle {
  const key = process.env.DATABASE_URL ?? "";
  const held = globalForDb.__verdictDb;
  if (held && held.key === key) return held;
  const made = createDb();
  globalForDb.__verdictDb = { ...made, key };
  return made;
}

/** The pg pool under a PostgreSQL client (shared with Prisma). */
export function postgresPoolOf(db: Db): pg.Pool | undefined {
  return handles.get(db)?.pool;
}
