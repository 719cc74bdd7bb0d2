import { describe, expect, it } from "vitest";
import { serverEnv, ServerConfigError } from "./server-env";

describe("VERDICT_* settings", () => {
  it("defaults when unset or empty", () => {
    const e = serverEnv({ VERDICT_AUTH_FAILURES_PER_MINUTE: "" });
    expect(e.VERDICT_AUTH_FAILURES_PER_MINUTE).toBe(20);
    expect(e.VERDICT_SESSION_MAX_AGE).toBe(7 * 24 * 3600);
    expect(e.VERDICT_TRUSTED_PROXIES).toEqual([]);
    expect(e.VERDICT_INGEST_CONCURRENCY).toBeGreaterThan(0);
    expect(e.VERDICT_RETENTION_DAYS).toBeUndefined(); // keep forever
    expect(e.VERDICT_RETENTION_INTERVAL_SECONDS).toBe(3600);
  });

  it("a bad value is an error naming the variable, never a silent default", () => {
    for (const [k, v] of [
      ["VERDICT_AUTH_FAILURES_PER_MINUTE", "abc"],
      ["VERDICT_AUTH_FAILURES_PER_MINUTE", "0"],
      ["VERDICT_AUTH_FAILURES_PER_MINUTE", "-5"],
      ["VERDICT_AUTH_FAILURES_PER_MINUTE", "1.5"],
      ["VERDICT_SESSION_MAX_AGE", "7d"],
      ["VERDICT_SESSION_MAX_AGE", "0"],
      ["VERDICT_SESSION_SECRET", "short"],
      ["VERDICT_TRUSTED_PROXIES", "10.0.0.1, proxy.internal"],
      ["VERDICT_TRUSTED_PROXIES", "10.0.0.0/33"],
      ["VERDICT_INGEST_CONCURRENCY", "none"],
      ["VERDICT_RETENTION_DAYS", "90d"],
      ["VERDICT_RETENTION_DAYS", "0"],
      ["VERDICT_RETENTION_INTERVAL_SECONDS", "hourly"],
      ["VERDICT_RETENTION_DISABLED", "yes"],
    ]) {
      expect(() => serverEnv({ [k]: v }), `${k}=${v}`).toThrow(ServerConfigError);
      expect(() => serverEnv({ [k]: v })).toThrow(k);
    }
  });

  it("reads lists and numbers", () => {
    const e = serverEnv({ VERDICT_TRUSTED_PROXIES: "10.0.0.1, 192.168.0.0/16,::1", VERDICT_AUTH_FAILURES_PER_MINUTE: " 5 ", VERDICT_SESSION_MAX_AGE: "3600" });
    expect(e.VERDICT_TRUSTED_PROXIES).toEqual(["10.0.0.1", "192.168.0.0/16", "::1"]);
    expect(e.VERDICT_AUTH_FAILURES_PER_MINUTE).toBe(5);
    expect(e.VERDICT_SESSION_MAX_AGE).toBe(3600);
  });
});
