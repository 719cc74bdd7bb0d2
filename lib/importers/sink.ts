// Every importer writes through ingestRecords, the code path of POST /api/v1/ingest, so
// validation, secret removal, classification, leak links and idempotency on
// (type, source, id) are the same whichever way a record arrives.
import { ingestRecords, type IngestOptions } from "../ingest/ingest";
import { MAX_RECORDS } from "../api-contract/ingest";
import type { FieldError } from "../ingest/validate";

/** One record to import, named the way the user finds it: "line 7", "provably_intercepts id 17". */
export interface ImportItem {
  where: string;
  value?: unknown;
  /** the item could not even be read (not JSON, a broken CSV row) */
  error?: string;
}

export interface Rejection {
  where: string;
  errors: FieldError[];
}

export interface ImportTotals {
  read: number;
  accepted: number;
  duplicates: number;
  rejected: number;
}

export const emptyTotals = (): ImportTotals => ({ read: 0, accepted: 0, duplicates: 0, rejected: 0 });

/** Drops the "records.<i>" prefix: the user knows the record by its line or row instead. */
function localPath(path: string, index: number): string {
  const prefix = `records.${index}`;
  if (path === prefix) return "(record)";
  return path.startsWith(`${prefix}.`) ? path.slice(prefix.length + 1) : path;
}

/** Ingests items in batches of at most 5,000 (one transaction each); adds to `totals`. */
export async function ingestItems(
  items: ImportItem[],
  totals: ImportTotals,
  onRejected: (r: Rejection) => void,
  options: IngestOptions = {},
): Promise<void> {
  for (let start = 0; start < items.length; start += MAX_RECORDS) {
    const chunk = items.slice(start, start + MAX_RECORDS);
    const result = await ingestRecords(
      chunk.map((it, index) => ({ index, value: it.value, ...(it.error ? { error: it.error } : {}) })),
      options,
    );
    totals.read += chunk.length;
    totals.accepted += result.accepted;
    totals.duplicates += result.duplicates;
    totals.rejected += result.rejected.length;
    for (const r of result.rejected) {
      const item = chunk[r.index];
      onRejected({
        where: item.where,
        errors: item.error ? [{ path: "(record)", message: item.error }] : r.errors.map((e) => ({ path: localPath(e.path, r.index), message: e.message })),
      });
    }
  }
}

export function formatRejection(r: Rejection): string {
  return `${r.where}: ${r.errors.map((e) => (e.path === "(record)" ? e.message : `${e.path} ${e.message}`)).join("; ")}`;
}
