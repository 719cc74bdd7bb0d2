// `verdict import <file>`: JSON Lines / NDJSON of wire records (one record a line), a JSON
// file holding {"records": [...]} or an array, or a CSV export of the recorder's intercept
// table (`\copy provably_intercepts TO 'x.csv' CSV HEADER`, either generation). Streams the
// file, so its size is not bounded by memory; bad lines are reported by line number, the
// good ones are imported.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { CsvReader, type CsvRecord } from "./csv";
import { interceptRowToRecord, REQUIRED_INTERCEPT_COLUMNS, type Row } from "./recorder-rows";
import { emptyTotals, ingestItems, type ImportItem, type ImportTotals, type Rejection } from "./sink";
import type { IngestOptions } from "../ingest/ingest";

export type FileFormat = "ndjson" | "csv" | "json";

export interface FileImportOptions {
  /** a path, or "-" for standard input */
  path: string;
  format?: FileFormat;
  /** the `source` of records that do not name one (CSV rows never do) */
  source?: string;
  batchSize: number;
  onRejected: (r: Rejection) => void;
  onBatch?: (totals: ImportTotals) => void;
  signal?: AbortSignal;
  ingest?: IngestOptions;
}

export function formatOf(path: string): FileFormat {
  if (/\.csv$/i.test(path)) return "csv";
  if (/\.json$/i.test(path)) return "json";
  return "ndjson"; // .ndjson, .jsonl, stdin, anything else: one record a line
}

const DEFAULT_SOURCE = "default";

/** Gives a record the import's source when it names none. */
function withSource(value: unknown, source: string | undefined): unknown {
  if (source && value && typeof value === "object" && !Array.isArray(value) && !("source" in value)) return { ...value, source };
  return value;
}

/** A CSV data row → an intercept item, by the header's column names. */
export function csvRowToItem(header: string[], rec: CsvRecord, source: string): ImportItem {
  const where = `line ${rec.line}`;
  if (rec.error) return { where, error: `not valid CSV: ${rec.error}` };
  if (rec.fields.length !== header.length) return { where, error: `has ${rec.fields.length} fields; the header has ${header.length}` };
  const row: Row = {};
  header.forEach((name, i) => {
    const f = rec.fields[i];
    // COPY ... CSV writes NULL as an unquoted empty field.
    row[name] = !f.quoted && f.value === "" ? null : f.value;
  });
  return { where, value: interceptRowToRecord(row, source) };
}

export function checkCsvHeader(header: string[]): string | null {
  const missing = REQUIRED_INTERCEPT_COLUMNS.filter((c) => !header.includes(c));
  return missing.length
    ? `line 1: the CSV header lacks ${missing.join(", ")}; export the table with its header: \\copy provably_intercepts TO 'intercepts.csv' CSV HEADER`
    : null;
}

async function* items(opts: FileImportOptions, input: Readable): AsyncGenerator<ImportItem> {
  const format = opts.format ?? formatOf(opts.path);
  if (format === "csv") {
    const reader = new CsvReader();
    let header: string[] | null = null;
    const source = opts.source ?? DEFAULT_SOURCE;
    const take = function* (recs: CsvRecord[]): Generator<ImportItem> {
      for (const rec of recs) {
        if (!header) {
          header = rec.fields.map((f) => f.value.trim());
          const problem = checkCsvHeader(header);
          if (problem) throw new Error(problem);
          continue;
        }
        yield csvRowToItem(header, rec, source);
      }
    };
    input.setEncoding("utf8");
    for await (const chunk of input) yield* take(reader.push((chunk as string).replace(/^\uFEFF/, "")));
    yield* take(reader.end());
    return;
  }
  if (format === "json") {
    const chunks: string[] = [];
    input.setEncoding("utf8");
    for await (const c of input) chunks.push(c as string);
    let body: unknown;
    try {
      body = JSON.parse(chunks.join(""));
    } catch (e) {
      throw new Error(`${opts.path} is not valid JSON: ${(e as Error).message}`);
    }
    const list = Array.isArray(body) ? body : (body as { records?: unknown })?.records;
    if (!Array.isArray(list)) throw new Error(`${opts.path} must hold {"records": [...]} or an array of records`);
    for (let i = 0; i < list.length; i++) yield { where: `record ${i + 1}`, value: withSource(list[i], opts.source) };
    return;
  }
  let n = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    n++;
    const text = n === 1 ? line.replace(/^\uFEFF/, "") : line;
    if (text.trim() === "") continue;
    try {
      yield { where: `line ${n}`, value: withSource(JSON.parse(text), opts.source) };
    } catch (e) {
      yield { where: `line ${n}`, error: `not JSON: ${(e as Error).message}` };
    }
  }
}

export async function importFile(opts: FileImportOptions): Promise<ImportTotals & { stopped: boolean }> {
  if (opts.path !== "-") {
    // Say "no such file" up front rather than as a stream error mid-import.
    const info = await stat(opts.path).catch((e: NodeJS.ErrnoException) => {
      throw new Error(e.code === "ENOENT" ? `${opts.path}: no such file` : `${opts.path}: ${e.message}`);
    });
    if (!info.isFile()) throw new Error(`${opts.path} is not a file`);
  }
  const input: Readable = opts.path === "-" ? process.stdin : createReadStream(opts.path);
  const totals = emptyTotals();
  let batch: ImportItem[] = [];
  const flush = async () => {
    if (!batch.length) return;
    await ingestItems(batch, totals, opts.onRejected, opts.ingest);
    batch = [];
    opts.onBatch?.(totals);
  };
  try {
    for await (const item of items(opts, input)) {
      batch.push(item);
      if (batch.length >= opts.batchSize) {
        await flush();
        if (opts.signal?.aborted) return { ...totals, stopped: true };
      }
    }
    await flush();
  } finally {
    if (opts.path !== "-") input.destroy();
  }
  return { ...totals, stopped: false };
}
