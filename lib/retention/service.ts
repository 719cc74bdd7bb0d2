// Retention (docs/retention.md): how long records are kept, and the pass that deletes what is
// older. The default age is VERDICT_RETENTION_DAYS when set (else the one stored from the
// Settings page, else forever); ages per source are stored in the settings table. A pass runs
// under a lease row in the settings table, so two processes never delete at the same time.
import type { z } from "zod";
import { storedRetentionSchema } from "../api-contract/retention";
import { randomUUID } from "node:crypto";
import { getDb, type ClientHandle, type DbHandle } from "../db/client";
import { claimSettingLease, readSetting, releaseSettingLease, writeSetting } from "../db/queries/settings";
import { runDeletion, type DeletionResult, type RetentionCutoffs } from "./deletion";
import { dropEmptyInterceptPartitions } from "./partitions";
import { serverEnv } from "../config/server-env";

export const RETENTION_SETTING = "retention";
const LEASE_KEY = "retention_lease";
const DAY_US = 86_400 * 1_000_000;
export type StoredRetention = z.infer<typeof storedRetentionSchema>;
export { storedRetentionSchema };

export interface RetentionPolicy extends StoredRetention {
  /** where the default age comes from */
  default_from: "env" | "settings";
  /** the default stored on the Settings page (shown even when the environment overrides it) */
  stored_default_days: number | null;
  interval_seconds: number;
}

export async function readStoredRetention(h: DbHandle): Promise<StoredRetention> {
  const raw = await readSetting(h, RETENTION_SETTING);
  const parsed = raw ? storedRetentionSchema.safeParse(JSON.parse(raw)) : null;
  return parsed?.success ? parsed.data : { default_days: null, sources: {} };
}

export async function writeStoredRetention(h: ClientHandle, value: StoredRetention): Promise<void> {
  await writeSetting(h, RETENTION_SETTING, JSON.stringify(storedRetentionSchema.parse(value)));
}

export async function retentionPolicy(h: DbHandle, env: NodeJS.ProcessEnv = process.env): Promise<RetentionPolicy> {
  const stored = await readStoredRetention(h);
  const e = serverEnv(env);
  const fromEnv = e.VERDICT_RETENTION_DAYS;
  return {
    default_days: fromEnv ?? stored.default_days,
    default_from: fromEnv !== undefined ? "env" : "settings",
    stored_default_days: stored.default_days,
    sources: stored.sources,
    interval_seconds: e.VERDICT_RETENTION_INTERVAL_SECONDS,
  };
}

/** Cut-offs in µs (the records' `ts`) at `nowMs`. */
export function cutoffsAt(policy: StoredRetention, nowMs: number): RetentionCutoffs {
  const at = (d: number | null) => (d === null ? null : nowMs * 1000 - d * DAY_US);
  return { default: at(policy.default_days), sources: Object.fromEntries(Object.entries(policy.sources).map(([s, d]) => [s, at(d)])) };
}

export function describePolicy(p: StoredRetention): string {
  const parts = [p.default_days === null ? "default: keep forever" : `default: ${p.default_days} days`];
  for (const [s, d] of Object.entries(p.sources)) parts.push(`${s}: ${d === null ? "keep forever" : `${d} days`}`);
  return `retention (${parts.join("; ")})`;
}

const claimLease = (h: ClientHandle, owner: string, untilMs: number, nowMs: number) => claimSettingLease(h, LEASE_KEY, owner, untilMs, nowMs);
const releaseLease = (h: ClientHandle, owner: string) => releaseSettingLease(h, LEASE_KEY, owner);

export const LEASE_MS = 10 * 60_000;

/** partitionsDropped: PostgreSQL's month partitions of intercepts this pass left empty and dropped. */
export type RetentionPass = { ran: false; why: string } | { ran: true; result: DeletionResult; partitionsDropped: string[] };

/**
 * One retention pass: deletes every record older than its source's age, except what is held.
 * Returns ran:false when retention is off or another process holds the lease. A pass that
 * deleted nothing leaves no row in the deletion log.
 */
export async function retentionPass(opts: { now?: number; batchSize?: number; onBatch?: () => void | Promise<void> } = {}): Promise<RetentionPass> {
  const h = getDb();
  const policy = await retentionPolicy(h);
  if (policy.default_days === null && Object.values(policy.sources).every((d) => d === null)) return { ran: false, why: "retention is off (no age set)" };
  const owner = randomUUID();
  const now = opts.now ?? Date.now();
  if (!(await claimLease(h, owner, Date.now() + LEASE_MS, Date.now()))) return { ran: false, why: "another process is running retention" };
  let renewedAt = Date.now();
  try {
    const result = await runDeletion(h, {
      scope: { kind: "retention", cutoffs: cutoffsAt(policy, now) },
      actor: "retention",
      reason: describePolicy(policy),
      batchSize: opts.batchSize,
      now,
      logOnlyDeletions: true,
      onBatch: async () => {
        if (Date.now() - renewedAt > 60_000) {
          if (!(await claimLease(h, owner, Date.now() + LEASE_MS, Date.now()))) throw new Error("the retention lease was lost");
          renewedAt = Date.now();
        }
        await opts.onBatch?.();
      },
    });
    // PostgreSQL: a month wholly older than the newest cut-off whose rows are all gone (nothing held
    // in it) is dropped whole, which gives its disk space back at once (docs/retention.md).
    const cutoffs = cutoffsAt(policy, now);
    const newest = Math.max(...[cutoffs.default, ...Object.values(cutoffs.sources)].filter((c): c is number => c !== null));
    const partitionsDropped = await dropEmptyInterceptPartitions(h, newest, now);
    return { ran: true, result, partitionsDropped };
  } finally {
    await releaseLease(h, owner).catch(() => {});
  }
}

const g = globalThis as unknown as { __verdictRetentionLoop?: { stop: () => void } };

/** Starts the scheduled pass once per process (VERDICT_RETENTION_DISABLED=1: never). */
export function startRetentionLoop(): void {
  const e = serverEnv();
  if (g.__verdictRetentionLoop || e.VERDICT_RETENTION_DISABLED) return;
  const every = e.VERDICT_RETENTION_INTERVAL_SECONDS * 1000;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let lastError = "";
  const tick = async () => {
    try {
      const pass = await retentionPass();
      if (pass.ran && pass.result) {
        const c = pass.result.counts;
        console.log(`[verdict] retention deleted ${c.intercepts + c.policy_decisions + c.handoffs} records (${c.intercepts} intercepts, ${c.policy_decisions} policy decisions, ${c.handoffs} handoffs); ${pass.result.held} kept on hold` +
          (pass.partitionsDropped.length ? `; dropped the emptied partitions ${pass.partitionsDropped.join(", ")}` : ""));
      }
      lastError = "";
    } catch (err) {
      const msg = (err as Error).message;
      if (msg !== lastError) console.error(`[verdict] retention: ${msg}`);
      lastError = msg;
    }
    if (!stopped) (timer = setTimeout(tick, every)).unref();
  };
  // The first pass soon after start (a server restarted daily still applies retention), then every interval.
  (timer = setTimeout(tick, Math.min(every, 30_000))).unref();
  g.__verdictRetentionLoop = { stop: () => ((stopped = true), clearTimeout(timer)) };
}
