// Tombstones: what is left of a deleted record, so the hash chain of its batch still verifies
// and the gap is visible (docs/retention.md). Written in the deleting transaction, before the
// rows go, from the rows themselves (their hash and chain position).
import type { Tx } from "../client";
import type { Dialect } from "../config";
import type { RecordTable } from "./legal-holds";

export interface TombstoneContext {
  deletionId: string;
  actor: string;
  reason: string;
  /** ms since the epoch */
  at: number;
}

export async function writeTombstones(_tx: Tx, _dialect: Dialect, _table: RecordTable, _ids: string[], _ctx: TombstoneContext): Promise<void> {
  // The tombstones table comes with the hash chain (t19-chain); until it is merged there is nothing to write into.
}
