// `verdict import postgres://...`: reads the recorder's own tables and ingests them.
//   provably_intercepts          generation A (SERIAL ids)          → intercepts
//   intercepts (with call_ref)   generation B (UUID ids)            → intercepts
//   traces + trace_intercepts    generation B per-claim outcomes    → handoffs with the
//                                recorder's evaluation (mapping: recorder-rows.ts)
// Reads only: the session is READ ONLY and every batch is its own READ ONLY transaction (a
// short one, so a long import never holds back the source's vacuum). Keyset pagination
// (id for integer ids, else (created_at, id)), so each batch is an index range scan and
// `--follow` continues from the highest key seen. Interrupting stops after the current
// batch; re-running re-reads from the start and idempotency counts what is already stored
// as duplicates, so nothing is stored twice.
//
// Time zones: provably_intercepts (generation A) writes created_at in UTC
// (timezone('utc', now())). sourcerykit 1.0.1 (generation B) writes NOW() into `timestamp
// without time zone` columns, i.e. the wall-clock time of the database's TimeZone. So the
// generation-B tables' local timestamps are read AT TIME ZONE the source's zone (the
// database's own TimeZone, or --source-time-zone), and every instant is exact whatever it is.
// (In the hour a DST change repeats, a wall-clock time is ambiguous; PostgreSQL takes the
// later offset.)
import pg from "pg";
import { interceptRowToRecord, REQUIRED_INTERCEPT_COLUMNS, traceToHandoff, type Row } from "./recorder-rows";
import { emptyTotals, ingestItems, type ImportItem, type ImportTotals, type Rejection } from "./sink";
import type { IngestOptions } from "../ingest/ingest";

export interface SourceTable {
  name: string;
  role: "intercepts" | "traces";
  /** integer ids are ordered by id; other ids (UUID) by (created_at, id) */
  keyset: "id" | "created_at";
  /** a trace table whose per-claim rows live in trace_intercepts */
  claimsTable?: string;
  /** created_at is a `timestamp without time zone` holding the source zone's wall-clock time */
  localTime?: boolean;
  /** trace_intercepts.intercept_id can be joined to this recorder intercepts table (agent, tag, call_ref) */
  interceptsJoin?: { table: string; claimsLocalTime: boolean; cast: boolean };
}

export interface PostgresImportOptions {
  url: string;
  source: string;
  batchSize: number;
  follow?: boolean;
  intervalMs?: number;
  signal?: AbortSignal;
  onRejected: (r: Rejection) => void;
  /** the tables found and the rows they hold now */
  onStart?: (tables: SourceTable[], total: number) => void;
  onProgress?: (totals: ImportTotals) => void;
  /** after each pass while following: how many rows the pass found */
  onCaughtUp?: (newRows: number) => void;
  log?: (line: string) => void;
  ingest?: IngestOptions;
  /** the zone generation-B local timestamps were written in; default: the source database's TimeZone */
  sourceTimeZone?: string;
}

const INTEGER_TYPES = ["smallint", "integer", "bigint"];
const LOCAL_TIMESTAMP = "timestamp without time zone";
const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

type Columns = Map<string, Map<string, string>>;

async function columnsOf(client: pg.Client, tables: string[]): Promise<Columns> {
  const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string }>(
    `SELECT table_name, column_name, data_type FROM information_schema.columns
     WHERE table_schema = ANY(current_schemas(false)) AND table_name = ANY($1::text[])`,
    [tables],
  );
  const out: Columns = new Map();
  for (const r of rows) {
    if (!out.has(r.table_name)) out.set(r.table_name, new Map());
    out.get(r.table_name)!.set(r.column_name, r.data_type);
  }
  return out;
}

/** Which of the recorder's tables this database holds, and how to page through each. */
export async function discoverTables(client: pg.Client, log: (s: string) => void = () => {}): Promise<SourceTable[]> {
  const cols = await columnsOf(client, ["provably_intercepts", "intercepts", "traces", "trace_intercepts"]);
  const found: SourceTable[] = [];
  const requireColumns = (name: string, required: readonly string[]) => {
    const missing = required.filter((c) => !cols.get(name)!.has(c));
    if (missing.length) throw new Error(`table ${name} has no column ${missing.join(", ")}; is this the recorder's database?`);
  };
  const keyset = (name: string) => (INTEGER_TYPES.includes(cols.get(name)!.get("id") ?? "") ? "id" : "created_at");
  if (cols.has("provably_intercepts")) {
    requireColumns("provably_intercepts", REQUIRED_INTERCEPT_COLUMNS);
    found.push({ name: "provably_intercepts", role: "intercepts", keyset: keyset("provably_intercepts") });
  }
  const local = (name: string, column = "created_at") => cols.get(name)?.get(column) === LOCAL_TIMESTAMP;
  let recorderIntercepts = false;
  if (cols.has("intercepts")) {
    if (cols.get("intercepts")!.has("dedupe_key")) {
      log("Skipping table intercepts: it is Verdict's own table, not the recorder's.");
    } else {
      requireColumns("intercepts", REQUIRED_INTERCEPT_COLUMNS);
      recorderIntercepts = true;
      found.push({ name: "intercepts", role: "intercepts", keyset: keyset("intercepts"), localTime: local("intercepts") });
    }
  }
  if (cols.has("traces")) {
    requireColumns("traces", ["id", "created_at"]);
    const claims = cols.get("trace_intercepts");
    if (claims && !claims.has("trace_id")) throw new Error("table trace_intercepts has no column trace_id");
    const join = claims && recorderIntercepts && claims.has("intercept_id")
      ? { table: "intercepts", claimsLocalTime: local("trace_intercepts"), cast: claims.get("intercept_id") !== cols.get("intercepts")!.get("id") }
      : undefined;
    found.push({ name: "traces", role: "traces", keyset: keyset("traces"), localTime: local("traces"), ...(claims ? { claimsTable: "trace_intercepts" } : {}), ...(join ? { interceptsJoin: join } : {}) });
  }
  if (!found.length) throw new Error("found none of the recorder's tables (provably_intercepts, intercepts, traces) in this database's search_path");
  return found;
}

/** The position after the last row read: [id] or [created_at, id], as text. */
type Cursor = string[] | null;

/** The row as JSON; a local created_at becomes the instant it names in the source's zone (rendered in UTC). */
function rowJson(alias: string, localTime: boolean | undefined, tzParam: string): string {
  return localTime ? `(to_jsonb(${alias}) || jsonb_build_object('created_at', ${alias}."created_at" AT TIME ZONE ${tzParam}::text))` : `to_jsonb(${alias})`;
}

function pageSql(t: SourceTable, cursor: Cursor, limit: number, timeZone: string): { text: string; values: unknown[] } {
  const order = t.keyset === "id" ? `t."id"` : `t."created_at", t."id"`;
  const where = cursor === null ? "" : t.keyset === "id" ? `WHERE t."id" > $1` : `WHERE (t."created_at", t."id") > ($1, $2)`;
  const values: unknown[] = [...(cursor ?? [])];
  const tz = t.localTime ? `$${values.push(timeZone)}` : "";
  return {
    text: `SELECT ${rowJson("t", t.localTime, tz)} AS row, t."id"::text AS k_id, t."created_at"::text AS k_at FROM ${quote(t.name)} t ${where} ORDER BY ${order} LIMIT ${limit}`,
    values,
  };
}

/** The per-claim rows of these traces; with the recorder's intercepts joined, each carries the agent, tag and call_ref of its row. */
function claimsSql(t: SourceTable): string {
  const j = t.interceptsJoin;
  const ti = rowJson("ti", j?.claimsLocalTime, "$2");
  if (!j) return `SELECT ${ti} AS row FROM ${quote(t.claimsTable!)} ti WHERE ti."trace_id"::text = ANY($1::text[])`;
  const on = j.cast ? `i."id"::text = ti."intercept_id"::text` : `i."id" = ti."intercept_id"`;
  return `SELECT ${ti} || jsonb_build_object('intercept', jsonb_build_object('agent_id', i."agent_id", 'action_name', i."action_name", 'call_ref', to_jsonb(i) -> 'call_ref')) AS row
    FROM ${quote(t.claimsTable!)} ti LEFT JOIN ${quote(j.table)} i ON ${on} WHERE ti."trace_id"::text = ANY($1::text[])`;
}

/** Runs fn in one short READ ONLY transaction, with timestamps rendered in UTC. */
async function readOnly<T>(client: pg.Client, fn: () => Promise<T>): Promise<T> {
  await client.query("BEGIN TRANSACTION READ ONLY");
  try {
    await client.query("SET LOCAL TIME ZONE 'UTC'");
    const r = await fn();
    await client.query("COMMIT");
    return r;
  } catch (e) {
    await client.query("ROLLBACK").catch(() => {});
    throw e;
  }
}

interface Page {
  items: ImportItem[];
  cursor: Cursor;
  rows: number;
}

async function readPage(client: pg.Client, t: SourceTable, cursor: Cursor, limit: number, source: string, timeZone: string): Promise<Page> {
  return readOnly(client, async () => {
    const { text, values } = pageSql(t, cursor, limit, timeZone);
    const { rows } = await client.query<{ row: Row; k_id: string; k_at: string }>(text, values);
    if (!rows.length) return { items: [], cursor, rows: 0 };
    const last = rows[rows.length - 1];
    const next: Cursor = t.keyset === "id" ? [last.k_id] : [last.k_at, last.k_id];
    if (t.role === "intercepts") {
      return { rows: rows.length, cursor: next, items: rows.map((r) => ({ where: `${t.name} id ${r.k_id}`, value: interceptRowToRecord(r.row, source) })) };
    }
    const claims = new Map<string, Row[]>();
    if (t.claimsTable) {
      const sql = claimsSql(t);
      const res = await client.query<{ row: Row }>(sql, sql.includes("$2") ? [rows.map((r) => r.k_id), timeZone] : [rows.map((r) => r.k_id)]);
      for (const { row } of res.rows) {
        const key = String(row.trace_id);
        if (!claims.has(key)) claims.set(key, []);
        claims.get(key)!.push(row);
      }
    }
    return {
      rows: rows.length,
      cursor: next,
      items: rows.map((r) => ({ where: `${t.name} id ${r.k_id}`, value: traceToHandoff(r.row, claims.get(r.k_id) ?? [], source) })),
    };
  });
}

async function countRows(client: pg.Client, tables: SourceTable[]): Promise<number> {
  let n = 0;
  await readOnly(client, async () => {
    for (const t of tables) n += Number((await client.query(`SELECT count(*) AS n FROM ${quote(t.name)}`)).rows[0].n);
  });
  return n;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/** host:port/db of a connection URL: never its password. */
function hostOf(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return "the given URL";
  }
}

/**
 * The zone sourcerykit's NOW() wrote wall-clock times in: the database's TimeZone as a new
 * session sees it (before this session changes anything), or the one given, checked by the server.
 */
async function sourceTimeZone(client: pg.Client, given: string | undefined): Promise<string> {
  if (given) {
    await client.query(`SELECT now() AT TIME ZONE $1::text`, [given]).catch((e: Error) => {
      throw new Error(`--source-time-zone ${given}: ${e.message}`);
    });
    return given;
  }
  return String((await client.query<{ tz: string }>(`SELECT current_setting('TimeZone') AS tz`)).rows[0].tz);
}

export async function importPostgres(opts: PostgresImportOptions): Promise<ImportTotals & { stopped: boolean }> {
  const log = opts.log ?? (() => {});
  const batchSize = Math.max(1, Math.min(opts.batchSize, 5000));
  const client = new pg.Client({ connectionString: opts.url, application_name: "verdict import" });
  client.on("error", () => {}); // a dropped connection surfaces as the failing query's error
  await client.connect().catch((e: Error) => {
    throw new Error(`could not connect to the recorder's PostgreSQL at ${hostOf(opts.url)}: ${e.message}`);
  });
  const totals = emptyTotals();
  try {
    // Belt and braces: every transaction of this session is read-only, explicit or not.
    await client.query("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY");
    const timeZone = await sourceTimeZone(client, opts.sourceTimeZone);
    const tables = await discoverTables(client, log);
    if (tables.some((t) => t.localTime || t.interceptsJoin?.claimsLocalTime)) log(`Reading generation-B timestamps as ${timeZone} wall-clock time (the source's${opts.sourceTimeZone ? " given" : ""} TimeZone).`);
    opts.onStart?.(tables, await countRows(client, tables));
    const cursors = new Map<string, Cursor>(tables.map((t) => [t.name, null]));
    for (;;) {
      let passRows = 0;
      // Intercepts before traces, so a trace's handoff finds the rows its claims point at.
      for (const t of tables) {
        for (;;) {
          if (opts.signal?.aborted) return { ...totals, stopped: true };
          const page = await readPage(client, t, cursors.get(t.name)!, batchSize, opts.source, timeZone);
          if (!page.rows) break;
          await ingestItems(page.items, totals, opts.onRejected, opts.ingest);
          cursors.set(t.name, page.cursor);
          passRows += page.rows;
          opts.onProgress?.(totals);
          if (page.rows < batchSize) break;
        }
      }
      if (!opts.follow) return { ...totals, stopped: false };
      opts.onCaughtUp?.(passRows);
      await sleep(opts.intervalMs ?? 5000, opts.signal);
      if (opts.signal?.aborted) return { ...totals, stopped: true };
    }
  } finally {
    await client.end().catch(() => {});
  }
}
