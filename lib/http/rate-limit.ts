// Failed sign-ins and wrong API keys are limited per client address, so keys cannot be
// guessed at speed. In memory: one Verdict process is the unit of deployment.
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
      failures.set(client, r);
      return r.length >= maxFailures ? Math.ceil((windowMs - (now - r[0])) / 1000) : 0;
    },
    fail(client, now = Date.now()) {
      const r = recent(client, now);
      r.push(now);
      failures.set(client, r);
      if (failures.size > 10_000) failures.delete(failures.keys().next().value as string);
    },
  };
}

export function clientAddress(req: Request): string {
  const fwd = req.headers.get("x-forwarded-for");
  return (fwd ? fwd.split(",")[0] : req.headers.get("x-real-ip") ?? "local").trim() || "local";
}
