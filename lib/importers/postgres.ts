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
}

const INTEGER_TYPES = ["smallint", "integer", "bigint"];
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
  if (cols.has("intercepts")) {
    if (cols.get("intercepts")!.has("dedupe_key")) {
      log("Skipping table intercepts: it is Verdict's own table, not the recorder's.");
    } else {
      requireColumns("intercepts", REQUIRED_INTERCEPT_COLUMNS);
      found.push({ name: "intercepts", role: "intercepts", keyset: keyset("intercepts") });
    }
  }
  if (cols.has("traces")) {
    requireColumns("traces", ["id", "created_at"]);
    const claims = cols.get("trace_intercepts");
    if (claims && !claims.has("trace_id")) throw new Error("table trace_intercepts has no column trace_id");
    found.push({ name: "traces", role: "traces", keyset: keyset("traces"), ...(claims ? { claimsTable: "trace_intercepts" } : {}) });
  }
  if (!found.length) throw new Error("found none of the recorder's tables (provably_intercepts, intercepts, traces) in this database's search_path");
  return found;
}

/** The position after the last row read: [id] or [created_at, id], as text. */
type Cursor = string[] | null;

function pageSql(t: SourceTable, cursor: Cursor, limit: number): { text: string; values: unknown[] } {
  const order = t.keyset === "id" ? `t."id"` : `t."created_at", t."id"`;
  const where = cursor === null ? "" : t.keyset === "id" ? `WHERE t."id" > $1` : `WHERE (t."created_at", t."id") > ($1, $2)`;
  return {
    text: `SELECT to_jsonb(t) AS row, t."id"::text AS k_id, t."created_at"::text AS k_at FROM ${quote(t.name)} t ${where} ORDER BY ${order} LIMIT ${limit}`,
    values: cursor ?? [],
  };
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

async function readPage(client: pg.Client, t: SourceTable, cursor: Cursor, limit: number, source: string): Promise<Page> {
  return readOnly(client, async () => {
    const { text, values } = pageSql(t, cursor, limit);
    const { rows } = await client.query<{ row: Row; k_id: string; k_at: string }>(text, values);
    if (!rows.length) return { items: [], cursor, rows: 0 };
    const last = rows[rows.length - 1];
    const next: Cursor = t.keyset === "id" ? [last.k_id] : [last.k_at, last.k_id];
    if (t.role === "intercepts") {
      return { rows: rows.length, cursor: next, items: rows.map((r) => ({ where: `${t.name} id ${r.k_id}`, value: interceptRowToRecord(r.row, source) })) };
    }
    const claims = new Map<string, Row[]>();
    if (t.claimsTable) {
      const res = await client.query<{ row: Row }>(
        `SELECT to_jsonb(ti) AS row FROM ${quote(t.claimsTable)} ti WHERE ti."trace_id"::text = ANY($1::text[])`,
        [rows.map((r) => r.k_id)],
      );
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
    const tables = await discoverTables(client, log);
    opts.onStart?.(tables, await countRows(client, tables));
    const cursors = new Map<string, Cursor>(tables.map((t) => [t.name, null]));
    for (;;) {
      let passRows = 0;
      // Intercepts before traces, so a trace's handoff finds the rows its claims point at.
      for (const t of tables) {
        for (;;) {
          if (opts.signal?.aborted) return { ...totals, stopped: true };
          const page = await readPage(client, t, cursors.get(t.name)!, batchSize, opts.source);
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
