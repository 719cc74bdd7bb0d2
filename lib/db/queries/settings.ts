// Configuration stored with the data (the settings table), so the server, the importer and
// `verdict reclassify` classify every record the same way, however it arrives. The one
// setting today: the extra LLM hosts (VERDICT_LLM_HOSTS) that make a call an LLM call
// (lib/ingest/classification-config.ts sets it). Also the leases kept in a setting.
import type { SqliteConnection, DbHandle } from "../client";
import { execute, query } from "../sql";
import { jsonTextField, lockClause } from "../dialect";

export const LLM_HOSTS = "llm_hosts";

/**
 * A setting's value, or null when it was never set. `share`: on PostgreSQL, holds the row
 * until the transaction ends, so a concurrent change (reclassify) waits for this batch to
 * commit and then sees its rows.
 */
export async function readSetting(h: DbHandle, key: string, opts: { share?: boolean } = {}): Promise<string | null> {
  const { db: tx, dialect } = h;
  const lock = opts.share ? lockClause(dialect, "FOR SHARE") : "";
  const rows = await query<{ value: string }>(tx, dialect, `SELECT "value" FROM "settings" WHERE "key" = ?${lock}`, [key]);
  return rows[0]?.value ?? null;
}

export async function writeSetting(h: DbHandle, key: string, value: string): Promise<void> {
  const { db: tx, dialect } = h;
  await execute(tx, dialect, `INSERT INTO "settings" ("key", "value", "updated_at") VALUES (?, ?, ?)
    ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updated_at" = excluded."updated_at"`, [key, value, new Date().toISOString()]);
}

/**
 * A lease kept in a setting's value ({"owner", "until"}): claims it if nobody holds a live one
 * (or `owner` holds it already). One statement, so two processes cannot both win.
 */
export async function claimSettingLease(h: DbHandle, key: string, owner: string, untilMs: number, nowMs: number): Promise<boolean> {
  const { db, dialect } = h;
  const until = jsonTextField(dialect, `"settings"."value"`, "until", "integer");
  const who = jsonTextField(dialect, `"settings"."value"`, "owner");
  const n = await execute(db, dialect,
    `INSERT INTO "settings" ("key", "value", "updated_at") VALUES (?, ?, ?)
     ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updated_at" = excluded."updated_at"
     WHERE ${until} < ? OR ${who} = ?`,
    [key, JSON.stringify({ owner, until: untilMs }), new Date(nowMs).toISOString(), nowMs, owner]);
  return n > 0;
}

/** Gives the lease up, if `owner` holds it. */
export async function releaseSettingLease(h: DbHandle, key: string, owner: string): Promise<void> {
  const { db, dialect } = h;
  await execute(db, dialect, `DELETE FROM "settings" WHERE "key" = ? AND ${jsonTextField(dialect, `"value"`, "owner")} = ?`, [key, owner]);
}

/** The LLM host list every way in classifies with ("" when none was ever set). */
export async function storedLlmHosts(h: DbHandle, opts: { share?: boolean } = {}): Promise<string> {
  return (await readSetting(h, LLM_HOSTS, opts)) ?? "";
}

const statements = new WeakMap<SqliteConnection, { get(key: string): unknown }>();

/**
 * The stored list on the transaction's own SQLite connection (better-sqlite3, one cached
 * statement): the ingest path reads it once per batch, and through Prisma that read cost
 * 2-5 ms on a loaded machine against microseconds here.
 */
export function storedLlmHostsOn(conn: SqliteConnection): string {
  let stmt = statements.get(conn);
  if (!stmt) statements.set(conn, (stmt = conn.prepare(`SELECT "value" FROM "settings" WHERE "key" = ?`)));
  return (stmt.get(LLM_HOSTS) as { value: string } | undefined)?.value ?? "";
}
