// Failed sign-ins and wrong API keys are limited per client address (see peer-address.ts)
// and per credential tried, so keys and the admin password cannot be guessed at speed from
// one address, nor one guessed credential be tried from many. A valid API key or session is
// never refused by this limit: it only ever holds back wrong credentials (and sign-in
// attempts from a client that is already over it). In memory and one per process
// (globalThis): every bundle of the app (pages, server actions, API routes) shares it.
import { createHmac, randomBytes } from "node:crypto";
import { setting } from "../config/server-env";

export interface FailureLimiter {
  blocked(client: string, now?: number): number; // seconds to wait, 0 when allowed
  fail(client: string, now?: number): void;
}

export function failureLimiter(maxFailures = 20, windowMs = 60_000): FailureLimiter {
  const failures = new Map<string, number[]>();
  const recent = (client: string, now: number) => (failures.get(client) ?? []).filter((t) => now - t < windowMs);
  return {
    blocked(client, now = Date.now()) {
      const r = recent(client, now);
      if (r.length) failures.set(client, r);
      else failures.delete(client);
      return r.length >= maxFailures ? Math.max(1, Math.ceil((windowMs - (now - r[0])) / 1000)) : 0;
    },
    fail(client, now = Date.now()) {
      const r = recent(client, now);
      r.push(now);
      failures.set(client, r.slice(-maxFailures));
      if (failures.size > 100_000) failures.delete(failures.keys().next().value as string);
    },
  };
}

interface AuthLimiter {
  /** Seconds the client or credential must wait (the longer of the two), 0 when neither is over the limit. */
  blocked(client: string, credential?: string | null): number;
  /** Counts one failure against the client and, when one was tried, the credential. */
  fail(client: string, credential?: string | null): void;
}

const g = globalThis as unknown as { __verdictAuthLimit?: { max: number; limiter: FailureLimiter; salt: Buffer } };

/** The process's one limiter for failed authentications (VERDICT_AUTH_FAILURES_PER_MINUTE per client and per credential). */
export function authLimiter(): AuthLimiter {
  const max = setting("VERDICT_AUTH_FAILURES_PER_MINUTE");
  if (g.__verdictAuthLimit?.max !== max) g.__verdictAuthLimit = { max, limiter: failureLimiter(max), salt: randomBytes(16) };
  const { limiter, salt } = g.__verdictAuthLimit;
  // Credentials are kept only as a keyed digest, so the limiter's memory holds no key or password.
  const cred = (c: string) => `credential:${createHmac("sha256", salt).update(c).digest("base64url")}`;
  const keys = (client: string, credential?: string | null) => [`client:${client}`, ...(credential != null ? [cred(credential)] : [])];
  return {
    blocked: (client, credential) => Math.max(0, ...keys(client, credential).map((k) => limiter.blocked(k))),
    fail: (client, credential) => keys(client, credential).forEach((k) => limiter.fail(k)),
  };
}
