// The server's own settings from the environment (VERDICT_*), checked in one place so a bad
// value stops the start with a message naming the variable, instead of silently turning a
// protection off (VERDICT_AUTH_FAILURES_PER_MINUTE=abc used to disable the limit).
// Checked by scripts/start.ts before the server starts, by instrumentation.ts when the
// server process starts (any way it is started), and again by every reader below.
import { BlockList, isIP } from "node:net";
import { z } from "zod";
import { parsePrivateKey } from "../evidence/signing-key";

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

export const serverEnvSchema = z.object({
  VERDICT_AUTH_FAILURES_PER_MINUTE: positiveInt("failed authentications per minute", 100_000).default(20),
  VERDICT_TRUSTED_PROXIES: proxyList.default([]),
  VERDICT_SESSION_SECRET: z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)").optional(),
  VERDICT_SESSION_MAX_AGE: positiveInt("seconds", 366 * 24 * 3600).default(7 * 24 * 3600),
  VERDICT_INGEST_CONCURRENCY: positiveInt("ingest bodies held at once", 1000).default(2),
  VERDICT_INGEST_QUEUE_WAIT_MS: positiveInt("milliseconds", 600_000).default(10_000),
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
const SECRET_VARIABLES = new Set(["VERDICT_SESSION_SECRET", "VERDICT_SIGNING_KEY"]);
export type ServerEnv = z.output<typeof serverEnvSchema>;

export class ServerConfigError extends Error {}

const KEYS = Object.keys(serverEnvSchema.shape) as (keyof ServerEnv)[];
const g = globalThis as unknown as { __verdictServerEnv?: { key: string; value: ServerEnv } };

/** The validated settings; throws ServerConfigError naming each bad variable. Cached per distinct environment. */
export function serverEnv(env: Record<string, string | undefined> = process.env): ServerEnv {
  // An empty value means unset, as in most shells' `VAR= cmd`.
  const raw = Object.fromEntries(KEYS.map((k) => [k, env[k] === "" ? undefined : env[k]]));
  const key = JSON.stringify(raw);
  if (env === process.env && g.__verdictServerEnv?.key === key) return g.__verdictServerEnv.value;
  const r = serverEnvSchema.safeParse(raw);
  if (!r.success) {
    const shown = (k: string) => (SECRET_VARIABLES.has(k) ? "(hidden)" : JSON.stringify(raw[k] ?? ""));
    const lines = r.error.issues.map((i) => `${String(i.path[0])}=${shown(String(i.path[0]))}: ${i.message}`);
    throw new ServerConfigError(`Verdict cannot start: ${lines.join("; ")}.`);
  }
  if (env === process.env) g.__verdictServerEnv = { key, value: r.data };
  return r.data;
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
