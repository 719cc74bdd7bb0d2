// The background loop of the server process that delivers alerts: routes the outbox into
// messages, claims due messages, sends them, logs each attempt, retries with exponential
// backoff up to a limit. Started once per process (instrumentation.ts; globalThis guards it),
// on the server's thread, or on a worker thread of its own with VERDICT_ALERTS_WORKER=1
// (delivery-worker.ts).
import { SHARE_ENV, Worker } from "node:worker_threads";
import { getDb, type ClientHandle } from "../db/client";
import { claimDueMessages, finishAttempts, listAlertRules, matches, openMessages, routeAlertEvents, unroutedEventGroups, type FinishedAttempt } from "../db/queries/alerts";
import { webhookBody } from "./message";
import { sendToDestination } from "./send";
import { serverEnv, setting } from "../config/server-env";

export interface LoopSettings {
  pollMs: number;
  /** at most one message per rule per agent in this window */
  windowMs: number;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  leaseMs: number;
}

export function loopSettings(env: NodeJS.ProcessEnv = process.env): LoopSettings {
  const e = serverEnv(env);
  return {
    pollMs: e.VERDICT_ALERTS_POLL_MS,
    windowMs: e.VERDICT_ALERTS_WINDOW_MS,
    retryBaseMs: e.VERDICT_ALERTS_RETRY_BASE_MS,
    retryMaxMs: e.VERDICT_ALERTS_RETRY_MAX_MS,
    maxAttempts: e.VERDICT_ALERTS_MAX_ATTEMPTS,
    // Longer than an attempt can take, so a live sender's lease never runs out mid-send.
    leaseMs: e.VERDICT_ALERTS_TIMEOUT_MS + 20_000,
  };
}

/** When attempt `attempts` (1-based) failed: the next try, or null when it was the last. */
export function retryAt(s: LoopSettings, attempts: number, now: number): number | null {
  if (attempts >= s.maxAttempts) return null;
  return now + Math.min(s.retryMaxMs, s.retryBaseMs * 2 ** (attempts - 1));
}

/** Messages sent per pass at most: a pass's sends go out together, its log in one transaction. */
const PER_PASS = 25;

/**
 * How often events that only join messages still waiting for their minute are routed. Routing
 * rewrites every open message (its count and newest examples) in one write transaction, which on
 * SQLite holds up ingest; per second under load it was most of the loop's cost. Whatever makes a
 * message go out (an event that starts one, a message due) is still routed on the next poll.
 */
export const JOIN_ROUTE_MS = 5_000;

/** What a loop remembers between passes. */
export interface LoopState {
  /** when this loop last routed (ms); 0: never */
  routedAt: number;
}

/**
 * Whether this pass must route: some event would start a message (no open message of a rule it
 * matches, for its agent), an open message is due now, the backlog fills a pass, or the events
 * waiting have waited JOIN_ROUTE_MS. Reads only (no write lock): a handful of rows.
 */
async function mustRoute(h: ClientHandle, now: number, state: LoopState): Promise<boolean> {
  const waiting = await unroutedEventGroups(h);
  if (waiting.length === 0) return false;
  if (now - state.routedAt >= JOIN_ROUTE_MS) return true;
  if (waiting.reduce((n, w) => n + w.n, 0) >= ROUTE_LIMIT) return true;
  const open = new Set<string>();
  for (const m of await openMessages(h)) {
    if (m.next_attempt_at <= now) return true;
    open.add(`${m.rule_id}\u0000${m.agent_id}`);
  }
  const rules = await listAlertRules(h);
  return waiting.some((w) => rules.some((r) => matches(r, w) && !open.has(`${r.id}\u0000${w.agent_id}`)));
}

/**
 * Events routed per pass at most: several seconds of a busy fleet's events (the benchmark makes
 * ~800 a second), so that under load routing still happens every JOIN_ROUTE_MS and each
 * waiting message is rewritten once per JOIN_ROUTE_MS, not once per 1,000 events.
 */
const ROUTE_LIMIT = 5000;

/**
 * One pass: route new events (when something needs it, see mustRoute; always without `state`),
 * then send what is due. Returns how many messages it sent.
 */
export async function deliveryPass(s: LoopSettings = loopSettings(), state?: LoopState): Promise<number> {
  const h = getDb();
  // One clock for the pass: a message found not yet due when deciding is not claimed unrouted.
  const now = Date.now();
  if (!state || (await mustRoute(h, now, state))) {
    await routeAlertEvents(h, now, s.windowMs, ROUTE_LIMIT);
    if (state) state.routedAt = now;
  }
  const due = await claimDueMessages(h, now, s.leaseMs, PER_PASS);
  if (due.length === 0) return 0;
  const rules = new Map((await listAlertRules(h)).map((r) => [r.id, r]));
  const done = await Promise.all(due.map(async (m): Promise<FinishedAttempt | null> => {
    const rule = rules.get(m.ruleId);
    if (!rule) return null; // deleted meanwhile; its messages went with it
    const result = await sendToDestination(rule, webhookBody(rule, m));
    const at = Date.now();
    return { message: m, result, at, retryAt: result.ok ? null : retryAt(s, m.attempts, at) };
  }));
  await finishAttempts(h, done.filter((d): d is FinishedAttempt => d !== null));
  return due.length;
}

const g = globalThis as unknown as { __verdictAlertLoop?: { stop: () => void } };

/**
 * Starts the loop unless this process runs it already (VERDICT_ALERTS_DISABLED=1: never). On
 * the server's thread by default: measured with the benchmark (6 alternating rounds each, same
 * build), the worker of its own cost more than it saved on PostgreSQL (ingest with / without 3
 * rules 0.88 on the worker, 0.96 here; the process's CPU with rules +24 against +12 ms per 1,000
 * records; where the worker's extra CPU goes was not profiled) and changed nothing measurable on
 * SQLite (1.06 against 1.00). VERDICT_ALERTS_WORKER=1 moves it to delivery-worker.ts (and back
 * here if the worker cannot start).
 */
export function startAlertLoop(): void {
  if (g.__verdictAlertLoop || setting("VERDICT_ALERTS_DISABLED")) return;
  g.__verdictAlertLoop = (setting("VERDICT_ALERTS_WORKER") ? startWorker() : null) ?? runAlertLoop();
}

/**
 * The worker has its own database connection: on SQLite a second connection to the file, whose
 * transactions begin IMMEDIATE and wait their turn like a second process's (sqlite-serial.ts).
 */
function startWorker(): { stop: () => void } | null {
  // As the ingest worker starts (lib/ingest/prepare-pool.ts): a production build bundles the
  // worker, recognising exactly `new Worker(new URL(...))`; from source (tests, tsx scripts)
  // the entry is TypeScript, which a worker loads after registering tsx in itself.
  const fromSource = import.meta.url.endsWith(".ts");
  const make = () => fromSource
    ? new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url.replace(/delivery-loop\.ts$/, "delivery-worker.ts"))}); })`, { eval: true, env: SHARE_ENV })
    : new Worker(new URL("./delivery-worker.ts", import.meta.url), { env: SHARE_ENV });
  let stopped = false;
  let worker: Worker;
  let restarts = 0;
  let fallback: { stop: () => void } | null = null;
  const spawn = () => {
    let ready = false;
    try {
      worker = make();
    } catch (e) {
      console.error(`[verdict] alert delivery worker did not start (${(e as Error).message}); delivering from the server's thread`);
      fallback = runAlertLoop();
      return;
    }
    worker.unref(); // the loop never keeps the process alive
    worker.on("message", (m) => {
      if (m !== "ready") return;
      if (process.env.NODE_ENV === "production" && !ready && restarts === 0) console.log("[verdict] alert delivery worker ready: alerts are routed and sent on a second thread");
      ready = true;
      restarts = 0;
    });
    worker.on("error", (e) => console.error(`[verdict] alert delivery worker: ${e.message}`));
    worker.on("exit", (code) => {
      if (stopped) return;
      if (!ready) {
        // It never came up (its entry failed to load): deliver from this thread instead.
        console.error(`[verdict] alert delivery worker did not start (code ${code}); delivering from the server's thread`);
        fallback = runAlertLoop();
        return;
      }
      // Messages are claimed with a lease, so nothing is lost; a worker that keeps dying is
      // replaced with a growing pause rather than in a tight loop.
      const wait = Math.min(60_000, 1000 * 2 ** restarts++);
      console.error(`[verdict] alert delivery worker ended (code ${code}); starting it again in ${wait} ms`);
      setTimeout(spawn, wait).unref();
    });
  };
  spawn();
  return { stop: () => ((stopped = true), void worker.terminate(), fallback?.stop()) };
}

/**
 * The loop on this thread: one pass per poll, never back to back. Its timer does not keep the
 * server's process alive; on the worker's thread (`keepAlive`) it is what keeps the thread alive.
 */
export function runAlertLoop(o: { keepAlive?: boolean } = {}): { stop: () => void } {
  const s = loopSettings();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastError = "";
  const state: LoopState = { routedAt: 0 };
  const tick = async () => {
    try {
      // Never back to back: on SQLite the loop's transactions take turns with ingest's.
      await deliveryPass(s, state);
      lastError = "";
    } catch (e) {
      const msg = (e as Error).message;
      if (msg !== lastError) console.error(`[verdict] alert delivery loop: ${msg}`); // once per distinct error, not every second
      lastError = msg;
    }
    if (!stopped) schedule();
  };
  const schedule = () => {
    timer = setTimeout(tick, s.pollMs);
    if (!o.keepAlive) timer.unref();
  };
  schedule();
  return { stop: () => ((stopped = true), clearTimeout(timer)) };
}
