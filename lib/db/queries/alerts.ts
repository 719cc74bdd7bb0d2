// Alert rules, the outbox (alert_events), the messages it becomes and the delivery log.
// Raw SQL on both databases alike (times in ms since the epoch as BIGINT).
// - Ingest writes events in its own transaction, and only when some rule wants that kind
//   (alertKindsWanted: the rules' kinds, cached per process for a moment).
// - The delivery loop routes events to rules, one open message per rule and agent, and
//   claims due messages with a lease (FOR UPDATE SKIP LOCKED on PostgreSQL), so several
//   processes on one database send each message once.
import { randomBytes } from "node:crypto";
import type { ClientHandle, DbHandle, Tx } from "../client";
import { rawSqlTransaction } from "../transaction";
import type { Dialect } from "../config";
import { execute, num, query } from "../sql";
import { boolParam, boolSql, jsonRows, lockClause, takesLocks } from "../dialect";
import { setting } from "../../config/server-env";
import { idMaker, newId } from "../../records/ids";
import { preparedOn } from "./insert";

export const ALERT_EVENT_KINDS = ["leak", "caught", "block", "disagreement"] as const;
export type AlertEventKind = (typeof ALERT_EVENT_KINDS)[number];

/** A rule's id (random: rules are few). Events, messages and attempts take time-ordered ids (lib/records/ids.ts). */
export const alertId = (prefix: "alr") => `${prefix}_${randomBytes(12).toString("base64url")}`;

export interface AlertRuleRow {
  id: string;
  name: string;
  events: AlertEventKind[];
  category: string | null;
  agentId: string | null;
  source: string | null;
  destinationType: "webhook" | "slack";
  destinationUrl: string;
  secret: string;
  createdAt: number;
  consecutiveFailures: number;
  lastAttemptAt: number | null;
  lastStatus: string | null;
  lastResponseCode: number | null;
}

const RULE_COLS = `"id", "name", "events", "category", "agent_id", "source", "destination_type", "destination_url", "secret", "created_at", "consecutive_failures", "last_attempt_at", "last_status", "last_response_code"`;

function ruleOf(r: Record<string, unknown>): AlertRuleRow {
  return {
    id: String(r.id),
    name: String(r.name),
    events: JSON.parse(String(r.events)) as AlertEventKind[],
    category: (r.category as string | null) ?? null,
    agentId: (r.agent_id as string | null) ?? null,
    source: (r.source as string | null) ?? null,
    destinationType: String(r.destination_type) as AlertRuleRow["destinationType"],
    destinationUrl: String(r.destination_url),
    secret: String(r.secret),
    createdAt: num(r.created_at),
    consecutiveFailures: num(r.consecutive_failures),
    lastAttemptAt: r.last_attempt_at === null || r.last_attempt_at === undefined ? null : num(r.last_attempt_at),
    lastStatus: (r.last_status as string | null) ?? null,
    lastResponseCode: r.last_response_code === null || r.last_response_code === undefined ? null : num(r.last_response_code),
  };
}

/** Interactive transactions here wait for a connection behind ingest's (Prisma's default: 2 s, then fail). */
export const TX_OPTIONS = { maxWait: 30_000, timeout: 30_000 };

/**
 * The delivery loop's transactions, kept off Prisma's raw-query API, which spends the server's
 * one thread on its query compiler and parameter copies while ingest waits: on PostgreSQL on
 * the plain driver from the pool Prisma shares (as ingest does); on SQLite synchronously on the
 * connection, so ingest waits only for the SQL itself.
 */
export function loopTransaction<T>(h: ClientHandle, fn: (tx: DbHandle) => Promise<T>): Promise<T> {
  return rawSqlTransaction(h, fn, TX_OPTIONS);
}

// ---- the per-process rule cache (ingest asks it on every batch) ----

interface KindsCache {
  key: string;
  at: number;
  kinds: Set<AlertEventKind>;
  pending?: Promise<Set<AlertEventKind>>;
}
const g = globalThis as unknown as { __verdictAlertKinds?: KindsCache };

/** How long a process trusts its copy of the rules' kinds; another process's new rule alerts within this. */
const kindsTtlMs = () => setting("VERDICT_ALERT_RULES_TTL_MS");

/** The event kinds some rule wants (empty: no rule, so ingest writes no outbox row). */
export async function alertKindsWanted({ db, dialect }: DbHandle): Promise<Set<AlertEventKind>> {
  const key = process.env.DATABASE_URL ?? "";
  const c = g.__verdictAlertKinds;
  if (c && c.key === key && Date.now() - c.at < kindsTtlMs()) return c.kinds;
  if (c?.pending && c.key === key) return c.pending;
  const pending = query<{ events: string }>(db, dialect, `SELECT "events" FROM "alert_rules"`).then((rows) => {
    const kinds = new Set<AlertEventKind>();
    for (const r of rows) for (const k of JSON.parse(r.events) as AlertEventKind[]) kinds.add(k);
    g.__verdictAlertKinds = { key, at: Date.now(), kinds };
    return kinds;
  });
  g.__verdictAlertKinds = { key, at: c?.key === key ? c.at : 0, kinds: c?.key === key ? c.kinds : new Set(), pending };
  try {
    return await pending;
  } catch (e) {
    g.__verdictAlertKinds = undefined;
    throw e;
  }
}

/** After this process changed the rules: the next batch reads them again. */
export function forgetAlertRules(): void {
  g.__verdictAlertKinds = undefined;
}

// ---- rules ----

export async function insertAlertRule({ db, dialect }: ClientHandle, r: Omit<AlertRuleRow, "consecutiveFailures" | "lastAttemptAt" | "lastStatus" | "lastResponseCode">): Promise<void> {
  await execute(db, dialect,
    `INSERT INTO "alert_rules" ("id", "name", "events", "category", "agent_id", "source", "destination_type", "destination_url", "secret", "created_at", "consecutive_failures")
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)`,
    [r.id, r.name, JSON.stringify(r.events), r.category, r.agentId, r.source, r.destinationType, r.destinationUrl, r.secret, r.createdAt]);
  forgetAlertRules();
}

export async function listAlertRules({ db, dialect }: DbHandle): Promise<AlertRuleRow[]> {
  return (await query(db, dialect, `SELECT ${RULE_COLS} FROM "alert_rules" ORDER BY "created_at" DESC, "id" DESC`)).map(ruleOf);
}

export async function getAlertRule({ db, dialect }: DbHandle, id: string): Promise<AlertRuleRow | null> {
  const [row] = await query(db, dialect, `SELECT ${RULE_COLS} FROM "alert_rules" WHERE "id" = ?`, [id]);
  return row ? ruleOf(row) : null;
}

/** Deletes the rule, its undelivered messages and its log. False when there was no such rule. */
export async function deleteAlertRule({ db, dialect }: ClientHandle, id: string): Promise<boolean> {
  const gone = await db.$transaction(async (tx: Tx) => {
    const n = await execute(tx, dialect, `DELETE FROM "alert_rules" WHERE "id" = ?`, [id]);
    await execute(tx, dialect, `DELETE FROM "alert_messages" WHERE "rule_id" = ?`, [id]);
    await execute(tx, dialect, `DELETE FROM "alert_deliveries" WHERE "rule_id" = ?`, [id]);
    return n > 0;
  }, TX_OPTIONS);
  forgetAlertRules();
  return gone;
}

// ---- the outbox, written by ingest ----

export interface NewAlertEvent {
  kind: AlertEventKind;
  agentId: string;
  source: string;
  category: string | null;
  recordId: string;
  /** what a message shows of the record: path (to the Verdict page), ts (µs), and a few fields */
  detail: { path: string; ts: number } & Record<string, unknown>;
}

/**
 * One statement for the whole batch's events, inside the ingest transaction (on SQLite run on
 * the transaction's own connection, like insertRows: Prisma's raw API costs more than the insert).
 */
export async function insertAlertEvents({ db: tx, dialect, sqlite: conn }: DbHandle, events: NewAlertEvent[], at: number): Promise<void> {
  if (events.length === 0) return;
  // Time-ordered ids from one call to the random source: a random id per row cost ~6 µs each
  // and put every new row at a random place in the primary key's index.
  const id = idMaker(events.length);
  const rows = events.map((e) => [id("ale"), e.kind, e.agentId, e.source, e.category, e.recordId, JSON.stringify(e.detail), at]);
  if (conn?.inTransaction) {
    // SQLite: a cached prepared INSERT per row, as insertRows does: unpacking one JSON parameter
    // in SQL parsed each row's JSON once per column (~1.1 ms per 100 events against ~0.2 ms).
    const stmt = preparedOn(conn, `INSERT INTO "alert_events" ("id", "kind", "agent_id", "source", "category", "record_id", "detail", "created_at", "routed") VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0)`);
    for (const row of rows) stmt.run(row);
    return;
  }
  const r = jsonRows(dialect, "r");
  await execute(tx, dialect,
    `INSERT INTO "alert_events" ("id", "kind", "agent_id", "source", "category", "record_id", "detail", "created_at", "routed")
       SELECT ${r.col(0)}, ${r.col(1)}, ${r.col(2)}, ${r.col(3)}, ${r.col(4)}, ${r.col(5)}, ${r.col(6)}, ${r.col(7, "BIGINT")}, ${boolSql(dialect, false)} FROM ${r.from}`,
    [JSON.stringify(rows)]);
}

// ---- routing events to messages (the delivery loop) ----

export interface AlertItem {
  id: string;
  kind: AlertEventKind | "test";
  path: string;
  ts: number;
  [k: string]: unknown;
}

/** How many of the newest examples a message carries. */
export const MAX_ITEMS = 10;

/** Whether `rule` wants event `e` (its kinds, agent, source, and for CAUGHT its category). */
export function matches(rule: AlertRuleRow, e: { kind: string; agent_id: string; source: string; category: string | null }): boolean {
  if (!rule.events.includes(e.kind as AlertEventKind)) return false;
  if (rule.agentId !== null && rule.agentId !== e.agent_id) return false;
  if (rule.source !== null && rule.source !== e.source) return false;
  if (rule.category !== null && e.kind === "caught" && rule.category !== e.category) return false;
  return true;
}

/**
 * Routes unrouted events (oldest first, up to `limit`) into messages: a new event joins the
 * rule's open message for its agent (not yet attempted), else starts one that may be sent no
 * sooner than `windowMs` after the previous one. One router at a time (advisory lock on
 * PostgreSQL; SQLite transactions are serial). A fixed handful of statements per pass, however
 * many rules and agents: on SQLite ingest waits while this transaction is open.
 * Returns how many events it routed.
 */
export async function routeAlertEvents({ db, dialect }: ClientHandle, now: number, windowMs: number, limit = 1000): Promise<number> {
  const T = boolParam(dialect, true);
  const F = boolParam(dialect, false);
  return loopTransaction({ db, dialect }, async ({ db: tx }) => {
    if (takesLocks(dialect)) {
      // The two-key form: ingest's per-agent locks use the one-key space (hashtext), so never this.
      const [lock] = await query<{ ok: boolean }>(tx, dialect, `SELECT pg_try_advisory_xact_lock(7464, 322) AS ok`);
      if (!lock?.ok) return 0;
    }
    const events = await query<{ id: string; kind: string; agent_id: string; source: string; category: string | null; record_id: string; detail: string }>(tx, dialect,
      `SELECT "id", "kind", "agent_id", "source", "category", "record_id", "detail" FROM "alert_events" WHERE "routed" = ? ORDER BY "created_at", "id" LIMIT ?${lockClause(dialect, "FOR UPDATE SKIP LOCKED")}`,
      [F, limit]);
    if (events.length === 0) return 0;
    const rules = (await query(tx, dialect, `SELECT ${RULE_COLS} FROM "alert_rules"`)).map(ruleOf);
    const groups = new Map<string, { ruleId: string; agentId: string; items: AlertItem[] }>();
    for (const e of events) {
      // One item per event, shared by every rule it matches (parsed once: this loop runs on the
      // thread that also serves ingest).
      let item: AlertItem | undefined;
      for (const rule of rules) {
        if (!matches(rule, e)) continue;
        const key = `${rule.id}\u0000${e.agent_id}`;
        let grp = groups.get(key);
        if (!grp) groups.set(key, (grp = { ruleId: rule.id, agentId: e.agent_id, items: [] }));
        item ??= { ...(JSON.parse(e.detail) as { path: string; ts: number }), id: e.record_id, kind: e.kind as AlertEventKind, agent_id: e.agent_id, source: e.source, ...(e.category ? { category: e.category } : {}) };
        grp.items.push(item);
      }
    }
    if (groups.size) await addToMessages(tx, dialect, [...groups.values()], now, windowMs);
    const ids = events.map((e) => e.id);
    await execute(tx, dialect, `UPDATE "alert_events" SET "routed" = ? WHERE "id" IN (${ids.map(() => "?").join(", ")})`, [T, ...ids]);
    // Routed events are kept a week (what was alerted, for an audit), then pruned.
    await execute(tx, dialect, `DELETE FROM "alert_events" WHERE "routed" = ? AND "created_at" < ?`, [T, now - 7 * 86_400_000]);
    return events.length;
  });
}

/** What is waiting to be routed, by kind, agent, source and category: a few rows, no details read. */
export async function unroutedEventGroups({ db, dialect }: DbHandle): Promise<{ kind: string; agent_id: string; source: string; category: string | null; n: number }[]> {
  const rows = await query<{ kind: string; agent_id: string; source: string; category: string | null; n: unknown }>(db, dialect,
    `SELECT "kind", "agent_id", "source", "category", COUNT(*) AS n FROM "alert_events" WHERE "routed" = ? GROUP BY "kind", "agent_id", "source", "category"`,
    [boolParam(dialect, false)]);
  return rows.map((r) => ({ ...r, n: num(r.n) }));
}

/** The open messages (pending, never attempted, not being sent): which rule and agent, and when each is due. */
export async function openMessages({ db, dialect }: DbHandle): Promise<{ rule_id: string; agent_id: string; next_attempt_at: number }[]> {
  const rows = await query<{ rule_id: string; agent_id: string; next_attempt_at: unknown }>(db, dialect,
    `SELECT "rule_id", "agent_id", "next_attempt_at" FROM "alert_messages" WHERE "status" = 'pending' AND "attempts" = 0 AND "lease_until" IS NULL`);
  return rows.map((r) => ({ ...r, next_attempt_at: num(r.next_attempt_at) }));
}

const newestFirst = (a: AlertItem, b: AlertItem) => b.ts - a.ts || (a.id < b.id ? 1 : -1);

function countByKind(items: AlertItem[], into: Record<string, number>): Record<string, number> {
  for (const i of items) into[i.kind] = (into[i.kind] ?? 0) + 1;
  return into;
}

async function addToMessages(tx: Tx, dialect: Dialect, groups: { ruleId: string; agentId: string; items: AlertItem[] }[], now: number, windowMs: number): Promise<void> {
  const key = (ruleId: string, agentId: string) => `${ruleId}\u0000${agentId}`;
  // Open messages: pending, never attempted, not being sent right now. FOR UPDATE waits for a
  // deliverer's claim to finish and then sees its lease, so no event joins a message in flight.
  const open = new Map<string, { id: string; counts: string; items: string }>();
  for (const m of await query<{ id: string; rule_id: string; agent_id: string; counts: string; items: string }>(tx, dialect,
    `SELECT "id", "rule_id", "agent_id", "counts", "items" FROM "alert_messages" WHERE "status" = 'pending' AND "attempts" = 0 AND "lease_until" IS NULL
     ORDER BY "created_at"${lockClause(dialect, "FOR UPDATE")}`)) open.set(key(m.rule_id, m.agent_id), m);
  // The latest message of each (rule, agent) within the window: a new one waits for its minute.
  const last = new Map<string, number>();
  for (const m of await query<{ rule_id: string; agent_id: string; at: unknown }>(tx, dialect,
    `SELECT "rule_id", "agent_id", MAX("created_at") AS at FROM "alert_messages" WHERE "created_at" > ? GROUP BY "rule_id", "agent_id"`, [now - windowMs])) last.set(key(m.rule_id, m.agent_id), num(m.at));

  const updates: [string, number, string, string][] = [];
  const inserts: unknown[][] = [];
  const id = idMaker(groups.length);
  for (const g of groups) {
    const k = key(g.ruleId, g.agentId);
    const o = open.get(k);
    if (o) {
      const merged = [...(JSON.parse(o.items) as AlertItem[]), ...g.items].sort(newestFirst).slice(0, MAX_ITEMS);
      updates.push([o.id, g.items.length, JSON.stringify(countByKind(g.items, JSON.parse(o.counts))), JSON.stringify(merged)]);
    } else {
      const prev = last.get(k);
      const notBefore = prev === undefined ? now : Math.max(now, prev + windowMs);
      inserts.push([id("dlv"), g.ruleId, g.agentId, g.items.length, JSON.stringify(countByKind(g.items, {})), JSON.stringify([...g.items].sort(newestFirst).slice(0, MAX_ITEMS)), notBefore]);
    }
  }
  if (updates.length) {
    const u = jsonRows(dialect, "u");
    await execute(tx, dialect,
      `UPDATE "alert_messages" SET "count" = "count" + (${u.col(1, "INTEGER")}), "counts" = ${u.col(2)}, "items" = ${u.col(3)} FROM ${u.from} WHERE "alert_messages"."id" = ${u.col(0)}`,
      [JSON.stringify(updates)]);
  }
  if (inserts.length) {
    const r = jsonRows(dialect, "r");
    await execute(tx, dialect,
      `INSERT INTO "alert_messages" ("id", "rule_id", "agent_id", "count", "counts", "items", "created_at", "not_before", "status", "attempts", "next_attempt_at")
         SELECT ${r.col(0)}, ${r.col(1)}, ${r.col(2)}, ${r.col(3, "INTEGER")}, ${r.col(4)}, ${r.col(5)}, ${r.col(6, "BIGINT")}, ${r.col(6, "BIGINT")}, 'pending', 0, ${r.col(6, "BIGINT")} FROM ${r.from}`,
      [JSON.stringify(inserts)]);
  }
}

// ---- claiming and sending messages ----

export interface ClaimedMessage {
  id: string;
  ruleId: string;
  agentId: string;
  count: number;
  counts: Record<string, number>;
  items: AlertItem[];
  attempts: number;
}

/**
 * Takes up to `limit` due messages for `leaseMs` (their attempt counted now, so a crash
 * mid-send still counts). Another process skips them until the lease ends; after a crash
 * they are sent again once it has: at least once, with the same Verdict-Delivery id.
 */
export async function claimDueMessages({ db, dialect }: ClientHandle, now: number, leaseMs: number, limit = 10): Promise<ClaimedMessage[]> {
  const due = `"status" = 'pending' AND "next_attempt_at" <= ? AND ("lease_until" IS NULL OR "lease_until" < ?)`;
  // A read first, outside any transaction: on SQLite every transaction of the loop begins
  // IMMEDIATE (takes the write lock), so an idle loop that opened one each pass held up ingest.
  const [any] = await query(db, dialect, `SELECT "id" FROM "alert_messages" WHERE ${due} LIMIT 1`, [now, now]);
  if (!any) return [];
  const rows = await loopTransaction({ db, dialect }, async ({ db: tx }) => {
    return query(tx, dialect,
      `UPDATE "alert_messages" SET "lease_until" = ?, "attempts" = "attempts" + 1
       WHERE "id" IN (SELECT "id" FROM "alert_messages" WHERE ${due} ORDER BY "next_attempt_at", "id" LIMIT ?${lockClause(dialect, "FOR UPDATE SKIP LOCKED")})
         AND ${due}
       RETURNING "id", "rule_id", "agent_id", "count", "counts", "items", "attempts"`,
      [now + leaseMs, now, now, limit, now, now]);
  });
  return rows.map((r) => ({
    id: String(r.id), ruleId: String(r.rule_id), agentId: String(r.agent_id), count: num(r.count),
    counts: JSON.parse(String(r.counts)), items: JSON.parse(String(r.items)), attempts: num(r.attempts),
  }));
}

export interface AttemptResult {
  ok: boolean;
  responseCode: number | null;
  error: string | null;
}

export interface FinishedAttempt {
  message: { id: string; ruleId: string; attempts: number };
  result: AttemptResult;
  at: number;
  /** when to try again after a failure; null: give up */
  retryAt: number | null;
}

/**
 * Logs a pass's attempts and moves each message on (delivered, retried at `retryAt`, or given
 * up), in ONE transaction of three statements however many attempts: on SQLite every loop
 * transaction holds up ingest for its length.
 */
export async function finishAttempts({ db, dialect }: ClientHandle, done: FinishedAttempt[]): Promise<void> {
  if (done.length === 0) return;
  const id = idMaker(done.length);
  const logs = done.map(({ message: m, result: r, at }) => [id("att"), m.ruleId, m.id, m.attempts, r.ok ? "delivered" : "failed", r.responseCode, r.error, at]);
  const messages = done.map(({ message: m, result: r, at, retryAt }) =>
    [m.id, r.ok ? "delivered" : retryAt === null ? "failed" : "pending", r.ok || retryAt === null ? null : retryAt, r.ok ? at : null]);
  // Per rule, in the order of the attempts: a success resets the run of failures.
  const rules = new Map<string, { reset: number; failures: number; at: number; status: string; code: number | null }>();
  for (const { message: m, result: r, at } of [...done].sort((a, b) => a.at - b.at)) {
    const u = rules.get(m.ruleId) ?? { reset: 0, failures: 0, at, status: "", code: null };
    if (r.ok) Object.assign(u, { reset: 1, failures: 0 });
    else u.failures++;
    Object.assign(u, { at, status: r.ok ? "delivered" : "failed", code: r.responseCode });
    rules.set(m.ruleId, u);
  }
  const ruleRows = [...rules].map(([id, u]) => [id, u.reset, u.failures, u.at, u.status, u.code]);
  const u = jsonRows(dialect, "u");
  const c = (i: number, type: string) => u.col(i, type);
  const t = (i: number) => u.col(i);
  const from = u.from;
  await loopTransaction({ db, dialect }, async ({ db: tx }) => {
    await execute(tx, dialect,
      `INSERT INTO "alert_deliveries" ("id", "rule_id", "message_id", "attempt", "status", "response_code", "error", "at")
       SELECT ${t(0)}, ${t(1)}, ${t(2)}, ${c(3, "INTEGER")}, ${t(4)}, ${c(5, "INTEGER")}, ${t(6)}, ${c(7, "BIGINT")} FROM ${from}`, [JSON.stringify(logs)]);
    await execute(tx, dialect,
      `UPDATE "alert_messages" SET "status" = ${t(1)}, "next_attempt_at" = COALESCE(${c(2, "BIGINT")}, "next_attempt_at"), "delivered_at" = ${c(3, "BIGINT")}, "lease_until" = NULL
       FROM ${from} WHERE "alert_messages"."id" = ${t(0)}`, [JSON.stringify(messages)]);
    await execute(tx, dialect,
      `UPDATE "alert_rules" SET "consecutive_failures" = CASE WHEN ${c(1, "INTEGER")} = 1 THEN ${c(2, "INTEGER")} ELSE "consecutive_failures" + ${c(2, "INTEGER")} END,
         "last_attempt_at" = ${c(3, "BIGINT")}, "last_status" = ${t(4)}, "last_response_code" = ${c(5, "INTEGER")}
       FROM ${from} WHERE "alert_rules"."id" = ${t(0)}`, [JSON.stringify(ruleRows)]);
  });
}

/** One row of the delivery log, and the rule's running health. */
export async function logAttempt({ db: tx, dialect }: DbHandle, ruleId: string, messageId: string, attempt: number, r: AttemptResult, at: number): Promise<void> {
  await execute(tx, dialect,
    `INSERT INTO "alert_deliveries" ("id", "rule_id", "message_id", "attempt", "status", "response_code", "error", "at") VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    [newId("att"), ruleId, messageId, attempt, r.ok ? "delivered" : "failed", r.responseCode, r.error, at]);
  await execute(tx, dialect,
    `UPDATE "alert_rules" SET "consecutive_failures" = ${r.ok ? "0" : `"consecutive_failures" + 1`}, "last_attempt_at" = ?, "last_status" = ?, "last_response_code" = ? WHERE "id" = ?`,
    [at, r.ok ? "delivered" : "failed", r.responseCode, ruleId]);
}

export interface DeliveryRow {
  id: string;
  messageId: string;
  attempt: number;
  status: "delivered" | "failed";
  responseCode: number | null;
  error: string | null;
  at: number;
}

export async function listDeliveries({ db, dialect }: DbHandle, ruleId: string, limit = 100): Promise<DeliveryRow[]> {
  const rows = await query(db, dialect,
    `SELECT "id", "message_id", "attempt", "status", "response_code", "error", "at" FROM "alert_deliveries" WHERE "rule_id" = ? ORDER BY "at" DESC, "id" DESC LIMIT ?`, [ruleId, limit]);
  return rows.map((r) => ({
    id: String(r.id), messageId: String(r.message_id), attempt: num(r.attempt), status: String(r.status) as DeliveryRow["status"],
    responseCode: r.response_code === null ? null : num(r.response_code), error: (r.error as string | null) ?? null, at: num(r.at),
  }));
}

/** Messages of a rule not yet delivered (waiting for their minute, or for a retry). */
export async function pendingMessageCounts({ db, dialect }: DbHandle): Promise<Map<string, number>> {
  const rows = await query<{ rule_id: string; n: unknown }>(db, dialect, `SELECT "rule_id", COUNT(*) AS n FROM "alert_messages" WHERE "status" = 'pending' GROUP BY "rule_id"`);
  return new Map(rows.map((r) => [r.rule_id, num(r.n)]));
}

