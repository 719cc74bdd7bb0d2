// The server's own settings from the environment (VERDICT_*), checked in one place so a bad
// value stops the start with a message naming the variable, instead of silently turning a
// protection off (VERDICT_AUTH_FAILURES_PER_MINUTE=abc used to disable the limit).
// Checked by scripts/start.ts before the server starts, by instrumentation.ts when the
// server process starts (any way it is started), and again by every reader: no other module
// reads a VERDICT_* variable from the environment (lib/config/server-env.test.ts checks).
// Every variable here is in the README's configuration table (the same test checks that too).
import { BlockList, isIP } from "node:net";
import { z } from "zod";
import { parsePrivateKey } from "../evidence/private-key";

const positiveInt = (what: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number of ${what}`)
    .transform(Number)
    .pipe(z.number().int().min(1, `must be at least 1 (${what})`).max(max, `must be at most ${max} (${what})`));

/** "10.0.0.1, 10.1.0.0/16, ::1": addresses or CIDR ranges of reverse proxies whose X-Forwarded-For is believed. */
const proxyList = z
  .string()
  .transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean))
  .superRefine((items, ctx) => {
    for (const item of items) if (!parseCidr(item)) ctx.addIssue({ code: "custom", message: `"${item}" is not an IP address or CIDR range (e.g. 10.0.0.1 or 10.0.0.0/8)` });
  });

const nonNegativeInt = (what: string, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number of ${what}`)
    .transform(Number)
    .pipe(z.number().int().max(max, `must be at most ${max} (${what})`));

/** "1" on, "0" off: anything else is a typo the operator should hear about. */
const onOff = z.enum(["0", "1"], { error: 'must be 1 (on) or 0 (off)' }).transform((v) => v === "1");

const httpUrl = z
  .string()
  .trim()
  .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), "must be an http:// or https:// URL, e.g. https://verdict.example.com");

/** A comma-separated list of names; blanks dropped. */
const nameList = z.string().transform((s) => s.split(",").map((x) => x.trim()).filter(Boolean));

export const serverEnvSchema = z.object({
  VERDICT_API_KEY: z.string().optional(),
  VERDICT_ADMIN_PASSWORD: z.string().optional(),
  // Kept as text: set-but-empty means "no extra hosts" (it clears the stored list), unset keeps it.
  VERDICT_LLM_HOSTS: z.string().optional(),
  VERDICT_SENSITIVE_KEYS: nameList.default([]),
  VERDICT_PG_POOL: positiveInt("PostgreSQL connections", 10_000).default(10),
  // The PostgreSQL settings check at start (lib/startup/postgres-check.ts): 0 silences it.
  VERDICT_PG_SETTINGS_CHECK: onOff.default(true),
  VERDICT_PUBLIC_URL: httpUrl.optional(),
  VERDICT_WEBHOOKS_ALLOW_HTTP: onOff.default(false),
  VERDICT_INGEST_WORKER: onOff.default(true),
  VERDICT_AUTH_FAILURES_PER_MINUTE: positiveInt("failed authentications per minute", 100_000).default(20),
  VERDICT_TRUSTED_PROXIES: proxyList.default([]),
  VERDICT_SESSION_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  VERDICT_SESSION_MAX_AGE: positiveInt("seconds", 366 * 24 * 3600).default(7 * 24 * 3600),
  VERDICT_INGEST_CONCURRENCY: positiveInt("ingest bodies held at once", 1000).default(2),
  VERDICT_INGEST_QUEUE_WAIT_MS: positiveInt("milliseconds", 600_000).default(10_000),
  VERDICT_ALERTS_DISABLED: onOff.default(false),
  VERDICT_ALERTS_WORKER: onOff.default(false),
  VERDICT_ALERTS_POLL_MS: positiveInt("milliseconds", 3_600_000).default(1000),
  VERDICT_ALERTS_WINDOW_MS: positiveInt("milliseconds", 86_400_000).default(60_000),
  VERDICT_ALERTS_RETRY_BASE_MS: positiveInt("milliseconds", 86_400_000).default(10_000),
  VERDICT_ALERTS_RETRY_MAX_MS: positiveInt("milliseconds", 7 * 86_400_000).default(15 * 60_000),
  VERDICT_ALERTS_MAX_ATTEMPTS: positiveInt("attempts", 1000).default(8),
  VERDICT_ALERTS_TIMEOUT_MS: positiveInt("milliseconds", 600_000).default(10_000),
  VERDICT_ALERT_RULES_TTL_MS: nonNegativeInt("milliseconds", 3_600_000).default(2000),
  // Tests only: a file holding a clock offset in milliseconds (share expiry without sleeping).
  VERDICT_CLOCK_FILE: z.string().optional(),
  // Retention (docs/retention.md): unset keeps records forever (unless the Settings page sets an age).
  VERDICT_RETENTION_DAYS: positiveInt("days", 100 * 366).optional(),
  VERDICT_RETENTION_INTERVAL_SECONDS: positiveInt("seconds", 7 * 24 * 3600).default(3600),
  VERDICT_RETENTION_DISABLED: onOff.default(false),
  // The Ed25519 key that signs evidence (docs/evidence.md): a file (created on first start), or the key itself.
  VERDICT_SIGNING_KEY_FILE: z.string().trim().min(1).optional(),
  VERDICT_SIGNING_KEY: z
    .string()
    .optional()
    .superRefine((v, ctx) => {
      if (v === undefined) return;
      try {
        parsePrivateKey(v);
      } catch (e) {
        ctx.addIssue({ code: "custom", message: (e as Error).message });
      }
    }),
});
/** Never echoed in an error message. */
export type ServerEnv = z.output<typeof serverEnvSchema>;

export class ServerConfigError extends Error {}

export const KEYS = Object.keys(serverEnvSchema.shape) as (keyof ServerEnv)[];
const SECRETS = new Set<string>(["VERDICT_API_KEY", "VERDICT_ADMIN_PASSWORD", "VERDICT_SESSION_SECRET", "VERDICT_SIGNING_KEY"]);
const EMPTY_IS_A_VALUE = new Set<string>(["VERDICT_LLM_HOSTS"]);
const g = globalThis as unknown as { __verdictServerEnv?: { key: string; value: ServerEnv } };

/** The validated settings; throws ServerConfigError naming each bad variable. Cached per distinct environment. */
export function serverEnv(env: Record<string, string | undefined> = process.env): ServerEnv {
  // An empty value means unset, as in most shells' `VAR= cmd` (except where empty says something).
  const raw = Object.fromEntries(KEYS.map((k) => [k, env[k] === "" && !EMPTY_IS_A_VALUE.has(k) ? undefined : env[k]]));
  const key = JSON.stringify(raw);
  if (env === process.env && g.__verdictServerEnv?.key === key) return g.__verdictServerEnv.value;
  const r = serverEnvSchema.safeParse(raw);
  if (!r.success) throw configError(r.error.issues, raw);
  if (env === process.env) g.__verdictServerEnv = { key, value: r.data };
  return r.data;
}

function configError(issues: z.core.$ZodIssue[], raw: Record<string, string | undefined>): ServerConfigError {
  const lines = issues.map((i) => {
    const k = String(i.path[0]);
    // A secret's value is never echoed into a log: its length says enough.
    const shown = SECRETS.has(k) ? `(${(raw[k] ?? "").length} characters, not shown)` : JSON.stringify(raw[k] ?? "");
    return `${k}=${shown}: ${i.message}`;
  });
  return new ServerConfigError(`Verdict cannot start: ${lines.join("; ")}.`);
}

const one = new Map<string, { raw: string | undefined; value: unknown }>();

/**
 * One setting, checked like serverEnv() checks them all. For code that runs per request or
 * per batch: it reads one variable (serverEnv() reads all of them, ~45 µs a call).
 */
export function setting<K extends keyof ServerEnv>(key: K, env: Record<string, string | undefined> = process.env): ServerEnv[K] {
  const raw = env[key] === "" && !EMPTY_IS_A_VALUE.has(key) ? undefined : env[key];
  const cached = env === process.env ? one.get(key) : undefined;
  if (cached && cached.raw === raw) return cached.value as ServerEnv[K];
  const r = serverEnvSchema.shape[key].safeParse(raw);
  if (!r.success) throw configError(r.error.issues.map((i) => ({ ...i, path: [key, ...i.path] })), { [key]: raw });
  if (env === process.env) one.set(key, { raw, value: r.data });
  return r.data as ServerEnv[K];
}

/** One IP address or CIDR range, as [address, prefix length, family]; null when it is neither. */
export function parseCidr(text: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } | null {
  const [address, bits, ...rest] = text.split("/");
  const v = isIP(address);
  if (!v || rest.length) return null;
  const max = v === 4 ? 32 : 128;
  if (bits !== undefined && !/^\d{1,3}$/.test(bits)) return null;
  const prefix = bits === undefined ? max : Number(bits);
  if (prefix > max) return null;
  return { address, prefix, family: v === 4 ? "ipv4" : "ipv6" };
}

/** The trusted proxies as a BlockList (node:net), for quick membership checks. */
export function trustedProxyList(items: string[]): BlockList {
  const list = new BlockList();
  for (const item of items) {
    const c = parseCidr(item)!;
    list.addSubnet(c.address, c.prefix, c.family);
  }
  return list;
}
