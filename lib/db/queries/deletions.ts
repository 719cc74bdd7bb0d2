// The deletion log and the gaps it leaves: what the Settings page, the overview and an
// agent's timeline say about records that are gone ("127 records deleted by retention on
// 2026-12-01").
import type { DbHandle } from "../client";
import { num, query } from "../sql";
import { tryParseJson } from "../../records/json";

export interface DeletionView {
  id: string;
  at: string;
  finished_at: string | null;
  actor: string;
  reason: string;
  scope: unknown;
  status: "running" | "done" | "failed";
  counts: { intercepts: number; policy_decisions: number; handoffs: number };
  /** records in scope kept because they are on hold */
  held: number;
  error: string | null;
}

export interface AgentGap {
  deletion_id: string;
  at: string;
  actor: string;
  reason: string;
  records: number;
  counts: { intercepts: number; policy_decisions: number; handoffs: number };
  /** the time range (created_at) the deleted records spanned */
  from: string;
  to: string;
}

const iso = (v: unknown) => new Date(num(v)).toISOString();
const isoUs = (v: unknown) => new Date(Math.floor(num(v) / 1000)).toISOString();

function view(r: Record<string, unknown>): DeletionView {
  return {
    id: String(r.id),
    at: iso(r.at),
    finished_at: r.finished_at === null || r.finished_at === undefined ? null : iso(r.finished_at),
    actor: String(r.actor),
    reason: String(r.reason),
    scope: tryParseJson(String(r.scope))?.value ?? null,
    status: String(r.status) as DeletionView["status"],
    counts: { intercepts: num(r.intercepts), policy_decisions: num(r.policy_decisions), handoffs: num(r.handoffs) },
    held: num(r.held),
    error: (r.error as string | null) ?? null,
  };
}

/** Newest first. */
export async function listDeletions(h: DbHandle, limit = 100): Promise<DeletionView[]> {
  const { db, dialect } = h;
  const rows = await query(db, dialect,
    `SELECT "id", "at", "finished_at", "actor", "reason", "scope", "status", "intercepts", "policy_decisions", "handoffs", "held", "error" FROM "deletions" ORDER BY "at" DESC, "id" DESC LIMIT ?`, [limit]);
  return rows.map(view);
}

/** What deletions removed of one agent, newest first. */
export async function agentGaps(h: DbHandle, agentId: string, limit = 20): Promise<AgentGap[]> {
  const { db, dialect } = h;
  const rows = await query(db, dialect,
    `SELECT d."id", d."at", d."actor", d."reason", a."intercepts", a."policy_decisions", a."handoffs", a."first_ts", a."last_ts"
     FROM "deletion_agents" a JOIN "deletions" d ON d."id" = a."deletion_id" WHERE a."agent_id" = ? ORDER BY d."at" DESC LIMIT ?`, [agentId, limit]);
  return rows.map((r) => {
    const counts = { intercepts: num(r.intercepts), policy_decisions: num(r.policy_decisions), handoffs: num(r.handoffs) };
    return {
      deletion_id: String(r.id), at: iso(r.at), actor: String(r.actor), reason: String(r.reason),
      records: counts.intercepts + counts.policy_decisions + counts.handoffs, counts, from: isoUs(r.first_ts), to: isoUs(r.last_ts),
    };
  });
}

