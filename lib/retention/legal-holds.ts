// Placing and releasing legal holds (docs/retention.md): the checks and the answers a user
// gets (no such record or hold, released already), over lib/db's reads and writes.
import type { ClientHandle } from "../db/client";
import { ApiError } from "../http/errors";
import {
  caughtHoldReleased, handoffCaught, insertLegalHold, insertReleasedCaughtHold, markHoldReleased, recordExists,
  type LegalHold, type NewHold,
} from "../db/queries/legal-holds";

export async function createLegalHold(h: ClientHandle, hold: NewHold, actor: string, now = Date.now()): Promise<LegalHold> {
  const { db, dialect } = h;
  if (hold.target_type === "record" && !(await recordExists({ db, dialect }, hold.record_table, hold.record_id))) {
    throw new ApiError(404, "not_found", `No ${hold.record_table} record with this id.`, [{ path: "record_id", message: "no such record" }]);
  }
  return insertLegalHold(h, hold, actor, now);
}

/** Releases a hold (once: a second release is a conflict, so nobody overwrites who released it). */
export async function releaseLegalHold(h: ClientHandle, id: string, actor: string, reason: string, now = Date.now()): Promise<LegalHold> {
  const result = await markHoldReleased(h, id, actor, reason, now);
  if (!result) throw new ApiError(404, "not_found", "No legal hold with this id.");
  const { hold, released } = result;
  if (!released) throw new ApiError(409, "conflict", `This hold was released already (${hold.released_at} by ${hold.released_by}).`);
  return hold;
}

/**
 * Releases the automatic hold of a CAUGHT handoff: writes the hold row, released at once, so
 * the history shows who let it go and why. Its evidence stays held by anything else holding it.
 */
export async function releaseCaughtHold(h: ClientHandle, handoffId: string, actor: string, reason: string, now = Date.now()): Promise<LegalHold> {
  const caught = await handoffCaught(h, handoffId);
  if (caught === null) throw new ApiError(404, "not_found", "No handoff with this id.", [{ path: "handoff_id", message: "no such handoff" }]);
  if (!caught) throw new ApiError(409, "conflict", "This handoff is not CAUGHT, so it has no automatic hold to release.", [{ path: "handoff_id", message: "not CAUGHT" }]);
  if (await caughtHoldReleased(h, handoffId)) throw new ApiError(409, "conflict", "This handoff's automatic hold was released already.");
  return insertReleasedCaughtHold(h, handoffId, actor, reason, now);
}
