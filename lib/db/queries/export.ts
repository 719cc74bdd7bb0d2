// The reads of an export bundle (lib/evidence-chain/export.ts builds it): the selected records
// as stored, keyset-paged, so memory stays bounded by one page whatever the number of records.
import type { DbHandle } from "../client";
import { query } from "../sql";
import type { RecordTable } from "../../records/record-tables";
import { rowsByIds } from "./evidence";

export interface ExportSelection {
  agentId?: string;
  source?: string;
  /** microseconds since the epoch, inclusive */
  fromTs?: number;
  /** microseconds since the epoch, exclusive */
  toTs?: number;
  /** one handoff and the intercepts it rests on */
  handoffId?: string;
  /** exactly these records (a shared intercept, a shared handoff's cited intercepts) */
  ids?: { table: RecordTable; ids: string[] }[];
  /** bodies replaced by their SHA-256 and size (shared links with redaction) */
  redact?: boolean;
}

/** Rows per read. */
export const PAGE = 500;

function filters(sel: ExportSelection): { where: string[]; params: unknown[] } {
  const where: string[] = [];
  const params: unknown[] = [];
  if (sel.agentId !== undefined) where.push(`"agent_id" = ?`), params.push(sel.agentId);
  if (sel.source !== undefined) where.push(`"source" = ?`), params.push(sel.source);
  if (sel.fromTs !== undefined) where.push(`"ts" >= ?`), params.push(sel.fromTs);
  if (sel.toTs !== undefined) where.push(`"ts" < ?`), params.push(sel.toTs);
  return { where, params };
}

/** Filtered rows stored before the chain existed, `PAGE` at a time in id order (keyset paging on the primary key). */
export async function* unchainedRows(h: DbHandle, table: RecordTable, sel: ExportSelection): AsyncGenerator<Record<string, unknown>[]> {
  const { db: tx, dialect } = h;
  const { where, params } = filters(sel);
  where.push(`"batch_id" IS NULL`);
  let after: string | null = null;
  for (;;) {
    const w: string[] = after === null ? where : [...where, `"id" > ?`];
    const p: unknown[] = after === null ? params : [...params, after];
    const rows: Record<string, unknown>[] = await query<Record<string, unknown>>(tx, dialect,
      `SELECT * FROM "${table}" WHERE ${w.join(" AND ")} ORDER BY "id" LIMIT ?`, [...p, PAGE]);
    if (!rows.length) return;
    yield rows;
    if (rows.length < PAGE) return;
    after = String(rows[rows.length - 1].id);
  }
}

/** One agent's filtered rows in (ts, id) order, `PAGE` at a time (keyset paging on the timeline index). */
export async function* agentRows(h: DbHandle, table: RecordTable, sel: ExportSelection): AsyncGenerator<Record<string, unknown>[]> {
  const { db: tx, dialect } = h;
  const { where, params } = filters(sel);
  let after: { ts: unknown; id: string } | null = null;
  for (;;) {
    const w: string[] = after === null ? where : [...where, `("ts" > ? OR ("ts" = ? AND "id" > ?))`];
    const p: unknown[] = after === null ? params : [...params, after.ts, after.ts, after.id];
    const rows: Record<string, unknown>[] = await query<Record<string, unknown>>(tx, dialect,
      `SELECT * FROM "${table}" WHERE ${w.join(" AND ")} ORDER BY "ts", "id" LIMIT ?`, [...p, PAGE]);
    if (!rows.length) return;
    yield rows;
    if (rows.length < PAGE) return;
    const last = rows[rows.length - 1];
    after = { ts: last.ts, id: String(last.id) };
  }
}

/** The rows of `ids` that the selection's filters keep. */
export async function filteredRowsByIds(h: DbHandle, table: RecordTable, ids: string[], sel: ExportSelection): Promise<Record<string, unknown>[]> {
  const { db: tx, dialect } = h;
  const { where, params } = filters(sel);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < ids.length; i += PAGE) {
    const chunk = ids.slice(i, i + PAGE);
    const rows = await query<Record<string, unknown>>(tx, dialect,
      `SELECT * FROM "${table}" WHERE "id" IN (${chunk.map(() => "?").join(", ")})${where.length ? ` AND ${where.join(" AND ")}` : ""}`, [...chunk, ...params]);
    out.push(...rows);
  }
  return out;
}

/** Exactly these records, in id order, `PAGE` at a time (the ones that exist). */
export async function* explicitRows(h: DbHandle, table: RecordTable, ids: string[]): AsyncGenerator<Record<string, unknown>[]> {
  const { db: tx, dialect } = h;
  const sorted = [...new Set(ids)].sort();
  for (let i = 0; i < sorted.length; i += PAGE) {
    const found = await rowsByIds(h, table, sorted.slice(i, i + PAGE));
    const rows = sorted.slice(i, i + PAGE).flatMap((id) => (found.has(id) ? [found.get(id)!] : []));
    if (rows.length) yield rows;
  }
}
