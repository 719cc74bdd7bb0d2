// Tombstones: what is left of a deleted record, so the hash chain of its ingest batch still
// verifies and the verifier reports a gap ("deleted"), not tampering (t19-chain's tombstones
// table, docs/evidence.md). Written in the deleting transaction, before the rows go, from the
// rows themselves: their hash and place in the batch are copied, never recomputed.
import { randomUUID } from "node:crypto";
import type { DbHandle } from "../client";
import { execute } from "../sql";
import { jsonRows } from "../dialect";
import type { RecordTable } from "../../records/record-tables";

export interface TombstoneContext {
  deletionId: string;
  actor: string;
  reason: string;
  /** ms since the epoch */
  at: number;
}

/** One statement per batch: the rows' own record_hash, batch_id and batch_pos, selected by id. */
export async function writeTombstones(h: DbHandle, table: RecordTable, ids: string[], ctx: TombstoneContext): Promise<void> {
  const { db: tx, dialect } = h;
  if (ids.length === 0) return;
  // A fresh id per tombstone (SQLite has no UUID function): they come in with the record ids.
  const pairs = ids.map((id) => [randomUUID(), id]);
  const p = jsonRows(dialect, "p");
  const source = `SELECT ${p.col(0)} AS tid, ${p.col(1)} AS rid FROM ${p.from}`;
  await execute(tx, dialect,
    `INSERT INTO "tombstones" ("id", "record_table", "record_id", "record_hash", "batch_id", "batch_pos", "deleted_at", "reason", "actor", "deletion_id")
     SELECT s.tid, ?, r."id", r."record_hash", r."batch_id", r."batch_pos", ?, ?, ?, ?
     FROM (${source}) AS s JOIN "${table}" r ON r."id" = s.rid WHERE true
     ON CONFLICT ("record_table", "record_id") DO NOTHING`,
    [table, ctx.at, ctx.reason, ctx.actor, ctx.deletionId, JSON.stringify(pairs)]);
}
