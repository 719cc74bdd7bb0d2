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

/**
 * Every Verdict session on PostgreSQL starts with JIT off. As the store grows the planner's cost
 * of the leak statement passes jit_inline_above_cost (at ~9M intercepts in the growth run) and
 * PostgreSQL then compiles ~500 functions per batch: 8.3 s instead of 1.1 s for one statement,
 * and ingest fell from 5,100 to 2,400 records/s in one window. Verdict's statements are index
 * look-ups that JIT never pays for. The URL's own `options` come after ours, so a `-c` there
 * still wins (`?options=-c%20jit%3Don`); node-postgres lets the URL's `options` replace the
 * pool's, so they are moved out of the URL and joined here.
 */
export function sessionConnection(url: string): { connectionString: string; options: string } {
  const ours = "-c jit=off";
  try {
    const u = new URL(url);
    const own = u.searchParams.get("options");
    if (own === null) return { connectionString: url, options: ours };
    u.searchParams.delete("options");
    return { connectionString: u.toString(), options: `${ours} ${own}` };
  } catch {
    return { connectionString: url, options: ours }; // not a URL: the driver reads it as it is
  }
}

const globalForDb = globalThis as unknown as { __verdictDb?: Holder };

export function createDb(env: Record<string, string | undefined> = process.env): ClientHandle {
  const config = databaseConfig(env);
  if (config.dialect === "postgresql") {
    // Our own pool, handed to Prisma, so the ingest hot path can take a connection from the
    // same pool and run its transaction on the plain driver (postgresPoolOf).
    // allowExitOnIdle: idle connections do not keep a CLI or test process alive.
    const pool = new pg.Pool({ ...sessionConnection(config.url), max: setting("VERDICT_PG_POOL", env), allowExitOnIdle: true });
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
