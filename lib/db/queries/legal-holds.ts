// Legal holds (docs/retention.md): what no deletion may remove until someone releases it.
// Explicit holds name an agent, a source or one record; every CAUGHT handoff is held without
// anyone asking (an "automatic" hold), and releasing one writes a row so the release is kept.
// Releasing never deletes a row: the history of who held what, and who let it go, stays.
import { randomUUID } from "node:crypto";
import type { Tx, ClientHandle, DbHandle } from "../client";
import { bool, execute, num, query } from "../sql";
import { boolParam } from "../dialect";
import { lockAgents } from "./leaks";
import type { RecordTable } from "../../records/record-tables";

export const HOLD_TARGETS = ["agent", "source", "record"] as const;
export type HoldTarget = (typeof HOLD_TARGETS)[number];

export interface LegalHold {
  id: string;
  target_type: HoldTarget;
  agent_id: string | null;
  source: string | null;
  record_table: RecordTable | null;
  record_id: string | null;
  automatic: boolean;
  reason: string;
  created_by: string;
  created_at: string;
  released_at: string | null;
  released_by: string | null;
  release_reason: string | null;
}

export type NewHold =
  | { target_type: "agent"; agent_id: string; reason: string }
  | { target_type: "source"; source: string; reason: string }
  | { target_type: "record"; record_table: RecordTable; record_id: string; reason: string };

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(num(v)).toISOString());

function holdOf(r: Record<string, unknown>): LegalHold {
  return {
    id: String(r.id),
    target_type: String(r.target_type) as HoldTarget,
    agent_id: (r.agent_id as string | null) ?? null,
    source: (r.source as string | null) ?? null,
    record_table: (r.record_table as RecordTable | null) ?? null,
    record_id: (r.record_id as string | null) ?? null,
    automatic: bool(r.automatic),
    reason: String(r.reason),
    created_by: String(r.created_by),
    created_at: iso(r.created_at)!,
    released_at: iso(r.released_at),
    released_by: (r.released_by as string | null) ?? null,
    release_reason: (r.release_reason as string | null) ?? null,
  };
}

const COLS = `"id", "target_type", "agent_id", "source", "record_table", "record_id", "automatic", "reason", "created_by", "created_at", "released_at", "released_by", "release_reason"`;

/** Newest first; released ones only when asked for (the history). */
export async function listLegalHolds(h: DbHandle, opts: { includeReleased?: boolean } = {}): Promise<LegalHold[]> {
  const { db, dialect } = h;
  const rows = await query(db, dialect,
    `SELECT ${COLS} FROM "legal_holds" ${opts.includeReleased ? "" : `WHERE "released_at" IS NULL`} ORDER BY "created_at" DESC, "id" DESC LIMIT 1000`);
  return rows.map(holdOf);
}

export async function getLegalHold(h: DbHandle, id: string): Promise<LegalHold | null> {
  const { db, dialect } = h;
  const [row] = await query(db, dialect, `SELECT ${COLS} FROM "legal_holds" WHERE "id" = ?`, [id]);
  return row ? holdOf(row) : null;
}

/** Does this record exist? */
export const recordExists = async ({ db, dialect }: DbHandle, table: RecordTable, id: string) =>
  (await query(db, dialect, `SELECT 1 AS x FROM "${table}" WHERE "id" = ?`, [id])).length > 0;

/** Writes a new hold (the caller has checked that a held record exists); returns it as stored. */
export async function insertLegalHold(h: ClientHandle, hold: NewHold, actor: string, now = Date.now()): Promise<LegalHold> {
  const { db, dialect } = h;
  const id = randomUUID();
  const b = boolParam(dialect, false);
  await db.$transaction(async (tx: Tx) => {
    // On PostgreSQL, under the agent's lock, as deletion batches take it: a batch of that agent
    // either sees this hold or has committed before it (never deletes after it was placed).
    const agent = hold.target_type === "agent" ? hold.agent_id
      : hold.target_type === "record" ? (await query<{ a: string }>(tx, dialect, `SELECT "agent_id" AS a FROM "${hold.record_table}" WHERE "id" = ?`, [hold.record_id]))[0]?.a : undefined;
    if (agent !== undefined) await lockAgents({ db: tx, dialect }, [agent]);
    await execute(tx, dialect,
      `INSERT INTO "legal_holds" (${COLS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)`,
      [id, hold.target_type, hold.target_type === "agent" ? hold.agent_id : null, hold.target_type === "source" ? hold.source : null,
        hold.target_type === "record" ? hold.record_table : null, hold.target_type === "record" ? hold.record_id : null, b, hold.reason, actor, now]);
  });
  return (await getLegalHold({ db, dialect }, id))!;
}

/**
 * Releases a hold if it is not released yet (once: nobody overwrites who released it).
 * null: no such hold; otherwise the hold as stored now, and whether this call released it.
 */
export async function markHoldReleased(h: DbHandle, id: string, actor: string, reason: string, now = Date.now()): Promise<{ hold: LegalHold; released: boolean } | null> {
  const { db, dialect } = h;
  const changed = await execute(db, dialect,
    `UPDATE "legal_holds" SET "released_at" = ?, "released_by" = ?, "release_reason" = ? WHERE "id" = ? AND "released_at" IS NULL`, [now, actor, reason, id]);
  const hold = await getLegalHold(h, id);
  return hold ? { hold, released: changed > 0 } : null;
}

/** Is this handoff CAUGHT (the evaluator's or Verdict's outcome)? null when there is no such handoff. */
export async function handoffCaught(h: DbHandle, id: string): Promise<boolean | null> {
  const { db, dialect } = h;
  const [row] = await query<{ e: string | null; v: string | null }>(db, dialect, `SELECT "evaluator_outcome" AS e, "verdict_outcome" AS v FROM "handoffs" WHERE "id" = ?`, [id]);
  if (!row) return null;
  return row.e === "CAUGHT" || row.v === "CAUGHT";
}

/** Has this handoff's automatic hold been released (is there a row for it)? */
export async function caughtHoldReleased(h: DbHandle, handoffId: string): Promise<boolean> {
  const { db, dialect } = h;
  const [done] = await query(db, dialect,
    `SELECT "id" FROM "legal_holds" WHERE "automatic" = ? AND "record_table" = 'handoffs' AND "record_id" = ?`, [boolParam(dialect, true), handoffId]);
  return done !== undefined;
}

/**
 * Writes the released automatic hold of a CAUGHT handoff (released at once), so the history
 * shows who let it go and why. Its evidence stays held by anything else holding it.
 */
export async function insertReleasedCaughtHold(h: DbHandle, handoffId: string, actor: string, reason: string, now = Date.now()): Promise<LegalHold> {
  const { db, dialect } = h;
  const id = randomUUID();
  await execute(db, dialect,
    `INSERT INTO "legal_holds" (${COLS}) VALUES (?, 'record', NULL, NULL, 'handoffs', ?, ?, ?, 'verdict', ?, ?, ?, ?)`,
    [id, handoffId, boolParam(dialect, true), "CAUGHT handoff (held automatically)", now, now, actor, reason]);
  return (await getLegalHold({ db, dialect }, id))!;
}

/** The holds in force: what the deletion engine checks every batch against. */
export interface ActiveHolds {
  agents: Set<string>;
  sources: Set<string>;
  /** explicit record holds: `${table}\u0000${id}` */
  records: Set<string>;
  /** CAUGHT handoffs whose automatic hold was released */
  releasedCaught: Set<string>;
}

export const recordKey = (table: RecordTable, id: string) => `${table}\u0000${id}`;

export async function activeHolds(handle: DbHandle): Promise<ActiveHolds> {
  const { db: tx, dialect } = handle;
  const rows = await query(tx, dialect,
    `SELECT "target_type", "agent_id", "source", "record_table", "record_id", "automatic", "released_at" FROM "legal_holds" WHERE "released_at" IS NULL OR "automatic" = ?`,
    [boolParam(dialect, true)]);
  const h: ActiveHolds = { agents: new Set(), sources: new Set(), records: new Set(), releasedCaught: new Set() };
  for (const r of rows) {
    if (bool(r.automatic)) {
      if (r.released_at !== null) h.releasedCaught.add(String(r.record_id));
      continue;
    }
    if (r.target_type === "agent") h.agents.add(String(r.agent_id));
    else if (r.target_type === "source") h.sources.add(String(r.source));
    else h.records.add(recordKey(r.record_table as RecordTable, String(r.record_id)));
  }
  return h;
}
