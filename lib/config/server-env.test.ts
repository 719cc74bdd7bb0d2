import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { KEYS, serverEnv, ServerConfigError, setting } from "./server-env";
import { BAD_VALUES } from "./bad-values.test-helpers";
import { generateKeyPairSync } from "node:crypto";

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

  it("checks VERDICT_SIGNING_KEY is an Ed25519 private key, and never echoes it", () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    for (const bad of ["not-a-key-SECRET", rsa]) {
      let message = "";
      try {
        serverEnv({ VERDICT_SIGNING_KEY: bad });
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/VERDICT_SIGNING_KEY=\(\d+ characters, not shown\)/);
      expect(message).not.toContain("SECRET");
      expect(message).not.toContain("PRIVATE KEY");
    }
    const ed = generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    expect(serverEnv({ VERDICT_SIGNING_KEY: ed }).VERDICT_SIGNING_KEY).toBe(ed);
  });
});

describe("the one place VERDICT_* is read", () => {
  const ROOT = path.resolve(import.meta.dirname, "../..");

  it("every variable is in the README's configuration table, and the table names no other", () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const table = readme.slice(readme.indexOf("## Configuration"), readme.indexOf("## Sending records"));
    const documented = new Set([...table.matchAll(/^\| `(VERDICT_[A-Z_]+)` \|/gm)].map((m) => m[1]));
    expect([...documented].sort()).toEqual([...KEYS].sort());
  });

  it("no module outside lib/config reads a VERDICT_* variable from the environment", () => {
    const files = (dir: string): string[] =>
      readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((d) => {
        const rel = path.join(dir, d.name);
        if (d.isDirectory()) return ["node_modules", "generated", "config"].includes(d.name) && dir !== "." ? [] : files(rel);
        return /\.(ts|tsx|mjs)$/.test(d.name) && !/\.test\.ts$/.test(d.name) ? [rel] : [];
      });
    const sources = [...["lib", "app", "components", "scripts", "bin"].flatMap(files), "proxy.ts", "instrumentation.ts"];
    expect(sources.length).toBeGreaterThan(100);
    // A read: env.VERDICT_X, process.env.VERDICT_X, env["VERDICT_X"]; not a write (`= ...`, `delete`).
    const read = /(?<!delete\s+(?:process\.)?)\benv(?:\.|\[["'`])VERDICT_[A-Z_]+\b["'`\]]*(?!\s*(?:\?\?)?=[^=])/;
    const offenders = sources.filter((f) => read.test(readFileSync(path.join(ROOT, f), "utf8")));
    expect(offenders).toEqual([]);
    for (const r of ["process.env.VERDICT_X;", 'env.VERDICT_X ?? ""', 'env["VERDICT_X"]', "env.VERDICT_X === '1'"]) expect(r).toMatch(read);
    for (const w of ["process.env.VERDICT_X = y;", "delete env.VERDICT_X;", "delete process.env.VERDICT_X;"]) expect(w).not.toMatch(read);
  });

  it("reads the newer variables, and refuses their bad values naming them", () => {
    const e = serverEnv({ VERDICT_PUBLIC_URL: " https://verdict.example.com/ ", VERDICT_WEBHOOKS_ALLOW_HTTP: "1", VERDICT_INGEST_WORKER: "0", VERDICT_LLM_HOSTS: "", VERDICT_SENSITIVE_KEYS: "ssn, iban,," });
    expect(e).toMatchObject({ VERDICT_PUBLIC_URL: "https://verdict.example.com/", VERDICT_WEBHOOKS_ALLOW_HTTP: true, VERDICT_INGEST_WORKER: false, VERDICT_LLM_HOSTS: "", VERDICT_SENSITIVE_KEYS: ["ssn", "iban"] });
    expect(serverEnv({})).toMatchObject({ VERDICT_PG_POOL: 10, VERDICT_INGEST_WORKER: true, VERDICT_WEBHOOKS_ALLOW_HTTP: false, VERDICT_ALERTS_POLL_MS: 1000, VERDICT_ALERT_RULES_TTL_MS: 2000, VERDICT_LLM_HOSTS: undefined });
    for (const [k, v] of BAD_VALUES) {
      expect(() => serverEnv({ [k]: v }), `${k}=${v}`).toThrow(new RegExp(`cannot start: ${k}=`));
      expect(() => setting(k as (typeof KEYS)[number], { [k]: v }), `setting ${k}=${v}`).toThrow(new RegExp(`cannot start: ${k}=`));
    }
  });

  it("setting() reads one variable the way serverEnv() reads them all", () => {
    for (const k of KEYS) expect(setting(k, {}), k).toEqual(serverEnv({})[k]);
    expect(setting("VERDICT_LLM_HOSTS", { VERDICT_LLM_HOSTS: "" })).toBe("");
    expect(setting("VERDICT_ALERTS_POLL_MS", { VERDICT_ALERTS_POLL_MS: " 250 " })).toBe(250);
  });

  it("never echoes a secret's value", () => {
    expect(() => serverEnv({ VERDICT_SESSION_SECRET: "hunter2-short" })).toThrow(/VERDICT_SESSION_SECRET=\(13 characters, not shown\)/);
    expect(() => serverEnv({ VERDICT_SESSION_SECRET: "hunter2-short" })).not.toThrow(/hunter2/);
  });
});
