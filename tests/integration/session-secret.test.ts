// The dashboard's session key when VERDICT_SESSION_SECRET is unset: made once per database
// and read back by every process, so a session made by one server is valid on another,
// even when both start at the same moment on an empty database.
import { afterAll, describe, expect, it } from "vitest";
import { createDb } from "@/lib/db/client";
import { loadOrCreateSecret } from "@/lib/db/queries/server-secrets";
import { isValidSession, makeSession, sessionSecret } from "@/lib/http/session";
import { DIALECTS, freshDatabase } from "../support/databases";

describe.each(DIALECTS)("session key on %s", (dialect) => {
  const clients: { $disconnect(): Promise<void> }[] = [];
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.$disconnect()));
  });

  it("two processes starting together on an empty database agree on one key", async () => {
    const url = await freshDatabase(dialect);
    // separate clients (separate connections or pools), as two server processes would have
    const dbs = Array.from({ length: 4 }, () => createDb({ DATABASE_URL: url }));
    clients.push(...dbs.map((h) => h.db));
    let made = 0;
    const keys = await Promise.all(dbs.map((db, i) => loadOrCreateSecret(db, "dashboard_session_key", () => `key-${i}-${++made}`)));
    expect(new Set(keys).size).toBe(1);
    expect(made).toBeGreaterThanOrEqual(1);
    expect(await loadOrCreateSecret(dbs[0], "dashboard_session_key", () => "never used")).toBe(keys[0]);
  });

  it("the key is random, not the password; VERDICT_SESSION_SECRET replaces it; a session from one key is refused under another", async () => {
    const env = { DATABASE_URL: await freshDatabase(dialect), VERDICT_ADMIN_PASSWORD: "pw-for-this-test" } as unknown as NodeJS.ProcessEnv;
    const stored = await sessionSecret(env);
    expect(stored).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(env.VERDICT_ADMIN_PASSWORD);
    const session = await makeSession(env);
    expect(await isValidSession(session, env)).toBe(true);
    const configured = { ...env, VERDICT_SESSION_SECRET: "s".repeat(40) };
    expect(await isValidSession(session, configured)).toBe(false);
    expect(await isValidSession(await makeSession(configured), configured)).toBe(true);
    expect(await isValidSession(session, { ...env, VERDICT_ADMIN_PASSWORD: "changed" })).toBe(false);
    expect(await isValidSession(await makeSession(env, 60, Date.now() - 120_000), env)).toBe(false); // expired
  });
});
