// Checks every stored record against the evidence chain (docs/evidence.md): each batch's link
// to the one before, its Merkle root over its leaves, and each leaf against the record as
// stored now (recomputed from its columns). Reads batch by batch: memory stays bounded by
// one batch, whatever the size of the database. The reads are lib/db's (queries/evidence.ts,
// queries/integrity.ts); the checks are here.
import type { DbHandle } from "../db/client";
import { recordHash, RECORD_TABLES, CanonicalFormError, type RecordTable } from "../evidence/canonical";
import { chainHash, GENESIS_HASH, merkleRoot } from "../evidence/merkle";
import { batchesAfter, rowsByIds, tombstoneOf, tombstonesOfBatch, type BatchRow } from "../db/queries/evidence";
import { rowsOutsideChain, unchainedCount } from "../db/queries/integrity";

export type MismatchReason = "changed" | "hash_column_changed" | "missing" | "tombstone_mismatch" | "batch_changed" | "chain_broken" | "not_in_chain";

export interface IntegrityMismatch {
  /** The Verdict id of the record (or, for a broken link, of the batch). */
  id: string;
  table: RecordTable | "evidence_batches";
  reason: MismatchReason;
  detail: string;
}

export interface IntegrityGap {
  id: string;
  table: RecordTable;
  reason: string;
}

export interface IntegrityReport {
  ok: boolean;
  records: number;
  batches: number;
  mismatches: IntegrityMismatch[];
  /** Records deleted on purpose (a tombstone holds the hash they had): gaps, not mismatches. */
  deleted: IntegrityGap[];
  /** Records stored before the chain existed (upgrade from an older Verdict): not covered. */
  unchained: number;
  head: { position: number; chain_hash: string } | null;
  checked_at: string;
}

/** Stops listing (never checking) after this many: the report stays readable. */
const MAX_LISTED = 1000;

export async function verifyIntegrity(h: DbHandle, opts: { onBatch?: (done: number) => void } = {}): Promise<IntegrityReport> {
  const { db: tx, dialect } = h;
  const mismatches: IntegrityMismatch[] = [];
  const deleted: IntegrityGap[] = [];
  const note = (m: IntegrityMismatch) => void (mismatches.length < MAX_LISTED && mismatches.push(m));
  let prevHash = GENESIS_HASH;
  let expected = 1;
  let records = 0;
  let batches = 0;
  let firstBatchAt: number | null = null;
  let head: IntegrityReport["head"] = null;
  for (let after = 0; ; ) {
    const page = await batchesAfter(h, after, 100);
    if (!page.length) break;
    for (const b of page) {
      firstBatchAt ??= b.createdAt;
      if (b.position !== expected) note({ id: b.id, table: "evidence_batches", reason: "chain_broken", detail: `batch at position ${b.position}, expected ${expected}: a batch is missing` });
      if (b.prevHash !== prevHash) note({ id: b.id, table: "evidence_batches", reason: "chain_broken", detail: `prev_hash does not match the chain hash of the batch before` });
      const leafHashes = b.leaves.map((l) => l[3]);
      if (b.recordCount !== b.leaves.length || merkleRoot(leafHashes) !== b.merkleRoot || chainHash(b) !== b.chainHash) {
        note({ id: b.id, table: "evidence_batches", reason: "batch_changed", detail: "the batch's leaves, root or chain hash were changed" });
      }
      await checkLeaves(h, b, note, deleted);
      records += b.leaves.length;
      prevHash = b.chainHash;
      expected = b.position + 1;
      head = { position: b.position, chain_hash: b.chainHash };
      batches++;
      after = b.position;
    }
    opts.onBatch?.(batches);
  }
  const unchained = await notInChain(h, firstBatchAt, note);
  return { ok: mismatches.length === 0, records, batches, mismatches, deleted, unchained, head, checked_at: new Date().toISOString() };
}

async function checkLeaves(h: DbHandle, b: BatchRow, note: (m: IntegrityMismatch) => void, deleted: IntegrityGap[]): Promise<void> {
  const { db: tx, dialect } = h;
  let tombstones: Awaited<ReturnType<typeof tombstonesOfBatch>> | undefined;
  for (const table of RECORD_TABLES) {
    const leaves = b.leaves.filter((l) => l[1] === table);
    if (!leaves.length) continue;
    const rows = await rowsByIds(h, table, leaves.map((l) => l[2]));
    for (const [, , id, hash] of leaves) {
      const row = rows.get(id);
      if (row) {
        let now: string;
        try {
          now = recordHash(table, row);
        } catch (e) {
          if (!(e instanceof CanonicalFormError)) throw e;
          now = `unreadable: ${e.message}`;
        }
        if (now !== hash) note({ id, table, reason: "changed", detail: `stored record no longer matches its hash in batch ${b.position}` });
        else if (row.record_hash !== hash || row.batch_id !== b.id) note({ id, table, reason: "hash_column_changed", detail: "the record's record_hash or batch_id column was changed" });
        continue;
      }
      tombstones ??= await tombstonesOfBatch(h, b.id);
      const t = tombstones.get(`${table}\u0000${id}`) ?? (await tombstoneOf(h, table, id));
      if (!t) note({ id, table, reason: "missing", detail: `deleted without a tombstone (batch ${b.position})` });
      else if (t.recordHash !== hash) note({ id, table, reason: "tombstone_mismatch", detail: "the tombstone's record_hash is not the hash the record had" });
      else if (deleted.length < MAX_LISTED) deleted.push({ id, table, reason: t.reason });
    }
  }
}

/**
 * Rows no batch lists: stored before the chain existed (counted), or added behind Verdict's
 * back after it started (a mismatch, "not_in_chain").
 */
async function notInChain(h: DbHandle, firstBatchAt: number | null, note: (m: IntegrityMismatch) => void): Promise<number> {
  let legacy = 0;
  // ingested_at is in microseconds, a batch's created_at in milliseconds.
  const since = firstBatchAt === null ? Number.MAX_SAFE_INTEGER : firstBatchAt * 1000;
  for (const table of RECORD_TABLES) {
    legacy += await unchainedCount(h, table, since);
    for (const id of await rowsOutsideChain(h, table, since, MAX_LISTED)) note({ id, table, reason: "not_in_chain", detail: "no evidence batch lists this record" });
  }
  return legacy;
}
