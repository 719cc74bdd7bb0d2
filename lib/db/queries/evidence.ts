// The evidence chain in the database (docs/evidence.md): each ingest transaction that stores
// new records writes one evidence_batches row (leaves, Merkle root) and links it to the batch
// committed before it. The link is made last, just before COMMIT, under a short lock
// (PostgreSQL: a transaction-scoped advisory lock; SQLite: its single writer), so concurrent
// ingest transactions run in parallel up to that point and the chain follows commit order.
import { randomBytes } from "node:crypto";
import type { Dialect } from "../config";
import type { DbHandle } from "../client";
import { execute, query } from "../sql";
import { chainHash, GENESIS_HASH, merkleRoot } from "../../evidence/merkle";
import type { RecordTable } from "../../evidence/canonical";

/** Any fixed number: the advisory lock the chain head is taken under. */
const CHAIN_LOCK = 0x76657264; // "verd"

export const newBatchId = (): string => `bat_${randomBytes(12).toString("base64url")}`;

/** One leaf: [batch_pos, table, record id, record hash]. */
export type Leaf = [number, RecordTable, string, string];

export interface BatchRow {
  id: string;
  position: number;
  createdAt: number;
  recordCount: number;
  leaves: Leaf[];
  merkleRoot: string;
  prevHash: string;
  chainHash: string;
}

const toNum = (v: unknown): number => (typeof v === "bigint" ? Number(v) : Number(v));

/**
 * Writes the batch of the transaction's new records and links it to the chain. Call it as the
 * transaction's last statement: on PostgreSQL it holds the chain lock until COMMIT.
 */
export async function appendBatch({ db: tx, dialect, sqlite: conn }: DbHandle, batchId: string, leaves: Leaf[]): Promise<void> {
  if (!leaves.length) return;
  leaves.sort((a, b) => a[0] - b[0]);
  const root = merkleRoot(leaves.map((l) => l[3]));
  const leavesJson = JSON.stringify(leaves);
  const head = async (): Promise<{ position: number; chainHash: string } | null> => {
    const sql = `SELECT "position", "chain_hash" FROM "evidence_batches" ORDER BY "position" DESC LIMIT 1`;
    const rows = conn ? (conn.prepare(sql).all() as Record<string, unknown>[]) : await query<Record<string, unknown>>(tx, dialect, sql);
    return rows.length ? { position: toNum(rows[0].position), chainHash: String(rows[0].chain_hash) } : null;
  };
  if (dialect === "postgresql") await query(tx, dialect, `SELECT pg_advisory_xact_lock(?)`, [CHAIN_LOCK]);
  const prev = await head();
  const position = (prev?.position ?? 0) + 1;
  const prevHash = prev?.chainHash ?? GENESIS_HASH;
  const link = chainHash({ position, id: batchId, recordCount: leaves.length, merkleRoot: root, prevHash });
  const sql = `INSERT INTO "evidence_batches" ("id", "position", "created_at", "record_count", "leaves", "merkle_root", "prev_hash", "chain_hash") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`;
  const params = [batchId, position, Date.now(), leaves.length, leavesJson, root, prevHash, link];
  if (conn) conn.prepare(sql).run(params);
  else await execute(tx, dialect, sql, params);
}

function batchOf(r: Record<string, unknown>): BatchRow {
  return {
    id: String(r.id),
    position: toNum(r.position),
    createdAt: toNum(r.created_at),
    recordCount: toNum(r.record_count),
    leaves: JSON.parse(String(r.leaves)) as Leaf[],
    merkleRoot: String(r.merkle_root),
    prevHash: String(r.prev_hash),
    chainHash: String(r.chain_hash),
  };
}

/** Batches in chain order after `afterPosition`, `limit` at a time (keyset paging). */
export async function batchesAfter({ db: tx, dialect }: DbHandle, afterPosition: number, limit: number): Promise<BatchRow[]> {
  const rows = await query<Record<string, unknown>>(tx, dialect,
    `SELECT * FROM "evidence_batches" WHERE "position" > ? ORDER BY "position" LIMIT ?`, [afterPosition, limit]);
  return rows.map(batchOf);
}

export async function batchesByIds({ db: tx, dialect }: DbHandle, ids: string[]): Promise<BatchRow[]> {
  if (!ids.length) return [];
  const rows = await query<Record<string, unknown>>(tx, dialect,
    `SELECT * FROM "evidence_batches" WHERE "id" IN (${ids.map(() => "?").join(", ")})`, ids);
  return rows.map(batchOf);
}

export async function chainHead({ db: tx, dialect }: DbHandle): Promise<{ position: number; chainHash: string; batches: number } | null> {
  const rows = await query<Record<string, unknown>>(tx, dialect, `SELECT "position", "chain_hash" FROM "evidence_batches" ORDER BY "position" DESC LIMIT 1`);
  if (!rows.length) return null;
  const count = await query<{ n: unknown }>(tx, dialect, `SELECT COUNT(*) AS n FROM "evidence_batches"`);
  return { position: toNum(rows[0].position), chainHash: String(rows[0].chain_hash), batches: toNum(count[0].n) };
}

/** The stored rows of `ids` in one table (every column), by id. */
export async function rowsByIds({ db: tx, dialect }: DbHandle, table: RecordTable, ids: string[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await query<Record<string, unknown>>(tx, dialect, `SELECT * FROM "${table}" WHERE "id" IN (${chunk.map(() => "?").join(", ")})`, chunk);
    for (const r of rows) out.set(String(r.id), r);
  }
  return out;
}

export interface TombstoneRow {
  recordTable: string;
  recordId: string;
  recordHash: string | null;
  batchId: string | null;
  batchPos: number | null;
  reason: string;
}

export async function tombstonesOfBatch({ db: tx, dialect }: DbHandle, batchId: string): Promise<Map<string, TombstoneRow>> {
  const rows = await query<Record<string, unknown>>(tx, dialect,
    `SELECT "record_table", "record_id", "record_hash", "batch_id", "batch_pos", "reason" FROM "tombstones" WHERE "batch_id" = ?`, [batchId]);
  return new Map(rows.map((r) => [`${r.record_table}\u0000${r.record_id}`, {
    recordTable: String(r.record_table), recordId: String(r.record_id), recordHash: r.record_hash === null ? null : String(r.record_hash),
    batchId: r.batch_id === null ? null : String(r.batch_id), batchPos: r.batch_pos === null ? null : toNum(r.batch_pos), reason: String(r.reason),
  }]));
}

/** A record's tombstone however it was written (one without batch_id too). */
export async function tombstoneOf({ db: tx, dialect }: DbHandle, table: RecordTable, id: string): Promise<TombstoneRow | undefined> {
  const [r] = await query<Record<string, unknown>>(tx, dialect,
    `SELECT "record_table", "record_id", "record_hash", "batch_id", "batch_pos", "reason" FROM "tombstones" WHERE "record_table" = ? AND "record_id" = ?`, [table, id]);
  if (!r) return undefined;
  return { recordTable: String(r.record_table), recordId: String(r.record_id), recordHash: r.record_hash === null ? null : String(r.record_hash),
    batchId: r.batch_id === null ? null : String(r.batch_id), batchPos: r.batch_pos === null ? null : toNum(r.batch_pos), reason: String(r.reason) };
}

/** Records stored before the chain existed (no batch): counted, not verifiable. */
export async function unchainedCount({ db: tx, dialect }: DbHandle): Promise<number> {
  let n = 0;
  for (const t of ["intercepts", "policy_decisions", "handoffs"]) {
    const r = await query<{ n: unknown }>(tx, dialect, `SELECT COUNT(*) AS n FROM "${t}" WHERE "batch_id" IS NULL`);
    n += toNum(r[0].n);
  }
  return n;
}
