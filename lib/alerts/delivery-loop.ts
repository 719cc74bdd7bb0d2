// The background loop of the server process that delivers alerts: routes the outbox into
// messages, claims due messages, sends them, logs each attempt, retries with exponential
// backoff up to a limit. Started once per process (instrumentation.ts; globalThis guards it).
import { getDb } from "../db/client";
import { claimDueMessages, finishAttempts, listAlertRules, routeAlertEvents, type FinishedAttempt } from "../db/queries/alerts";
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

/** One pass: route new events, then send what is due. Returns how many messages it sent. */
export async function deliveryPass(s: LoopSettings = loopSettings()): Promise<number> {
  const { db, dialect } = getDb();
  await routeAlertEvents(db, dialect, Date.now(), s.windowMs);
  const due = await claimDueMessages(db, dialect, Date.now(), s.leaseMs, PER_PASS);
  if (due.length === 0) return 0;
  const rules = new Map((await listAlertRules(db, dialect)).map((r) => [r.id, r]));
  const done = await Promise.all(due.map(async (m): Promise<FinishedAttempt | null> => {
    const rule = rules.get(m.ruleId);
    if (!rule) return null; // deleted meanwhile; its messages went with it
    const result = await sendToDestination(rule, webhookBody(rule, m));
    const at = Date.now();
    return { message: m, result, at, retryAt: result.ok ? null : retryAt(s, m.attempts, at) };
  }));
  await finishAttempts(db, dialect, done.filter((d): d is FinishedAttempt => d !== null));
  return due.length;
}

const g = globalThis as unknown as { __verdictAlertLoop?: { stop: () => void } };

/** Starts the loop unless this process runs it already (VERDICT_ALERTS_DISABLED=1: never). */
export function startAlertLoop(): void {
  if (g.__verdictAlertLoop || setting("VERDICT_ALERTS_DISABLED")) return;
  const s = loopSettings();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastError = "";
  const tick = async () => {
    try {
      // One pass per poll, never back to back: on SQLite the loop's transactions take turns
      // with ingest's, and the server's one thread is shared with it.
      await deliveryPass(s);
      lastError = "";
    } catch (e) {
      const msg = (e as Error).message;
      if (msg !== lastError) console.error(`[verdict] alert delivery loop: ${msg}`); // once per distinct error, not every second
      lastError = msg;
    }
    if (!stopped) (timer = setTimeout(tick, s.pollMs)).unref();
  };
  (timer = setTimeout(tick, s.pollMs)).unref();
  g.__verdictAlertLoop = { stop: () => ((stopped = true), clearTimeout(timer)) };
}
