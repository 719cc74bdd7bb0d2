import { describe, expect, it } from "vitest";
import { generateKeyPairSync } from "node:crypto";
import { serverEnv, ServerConfigError } from "./server-env";

describe("VERDICT_* settings", () => {
  it("defaults when unset or empty", () => {
    const e = serverEnv({ VERDICT_AUTH_FAILURES_PER_MINUTE: "" });
    expect(e.VERDICT_AUTH_FAILURES_PER_MINUTE).toBe(20);
    expect(e.VERDICT_SESSION_MAX_AGE).toBe(7 * 24 * 3600);
    expect(e.VERDICT_TRUSTED_PROXIES).toEqual([]);
    expect(e.VERDICT_INGEST_CONCURRENCY).toBeGreaterThan(0);
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

  it("checks VERDICT_SIGNING_KEY is an Ed25519 private key, and never echoes it", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    for (const bad of ["not-a-key-SECRET", rsa]) {
      let message = "";
      try {
        serverEnv({ VERDICT_SIGNING_KEY: bad });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toContain("VERDICT_SIGNING_KEY=(hidden)");
      expect(message).not.toContain("SECRET");
      expect(message).not.toContain("PRIVATE KEY");
    }
    const ed = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(serverEnv({ VERDICT_SIGNING_KEY: ed }).VERDICT_SIGNING_KEY).toBe(ed);
  });
});
