// SQLite has one connection for every request. A plain write of one request must never
// land inside another request's open transaction (lib/db/sqlite-serial.ts): if that
// transaction fails, the write would be undone with it while its own caller saw success.
import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "../support/databases";
import { Turnstile } from "@/lib/db/sqlite-serial";
import { withSqliteTransaction } from "@/lib/db/sqlite-transaction";
import { spawnSync } from "node:child_process";
import { databaseConfig } from "@/lib/db/config";
import type { Db } from "@/lib/db/client";

const insertShare = (id: string) =>
  `INSERT INTO "shares" ("id", "token_hash", "resource_type", "resource_id", "created_at", "expires_at") VALUES ('${id}', '${id}', 'handoff', 'h', 0, 0)`;

describe("one SQLite connection, many requests", () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await useFreshDatabase("sqlite"));
  });

  it("a transaction that reads, then writes, is not failed by another process's commit in between (BEGIN IMMEDIATE)", async () => {
    // Another process on the same file (a second server, the CLI, a retention pass) writes
    // while this transaction is open; with no busy wait it fails at once instead of waiting.
    const otherProcessWrites = (id: string) => {
      const script = `const D = require("better-sqlite3"); const d = new D(process.argv[1], { timeout: 0 });
        try { d.prepare(process.argv[2]).run(); console.log("committed"); } catch (e) { console.log(e.code); }`;
      return spawnSync(process.execPath, ["-e", script, databaseConfig().url, insertShare(id)], { encoding: "utf8" }).stdout.trim();
    };
    let other = "";
    try {
      await db.$transaction(async (tx) => {
        await tx.$queryRawUnsafe(`SELECT COUNT(*) AS n FROM "shares"`);
        other = otherProcessWrites("from-other-process");
        // With a DEFERRED begin this failed at once (SQLITE_BUSY_SNAPSHOT): the other had committed.
        await tx.$executeRawUnsafe(insertShare("after-read"));
      });
      expect(other).toBe("SQLITE_BUSY"); // this transaction held the write lock from its start
      expect(otherProcessWrites("from-other-process")).toBe("committed"); // and the other gets its turn after
      const ids = (await db.share.findMany({ select: { id: true } })).map((s) => s.id);
      expect(ids).toEqual(expect.arrayContaining(["after-read", "from-other-process"]));
    } finally {
      await db.$executeRawUnsafe(`DELETE FROM "shares"`);
    }
  });

  it("a synchronous transaction on the connection (the alert loop's) commits or rolls back whole, and holds others off while open", async () => {
    const opts = { maxWait: 5000, timeout: 5000 };
    await expect(withSqliteTransaction(db, async (tx) => {
      await tx.$executeRawUnsafe(insertShare("sync-undone"));
      expect(await tx.$queryRawUnsafe<{ id: string }[]>(`SELECT "id" FROM "shares" WHERE "id" = 'sync-undone'`)).toEqual([{ id: "sync-undone" }]);
      throw new Error("the pass failed");
    }, opts)).rejects.toThrow("the pass failed");
    // It ran on the connection itself, not through Prisma: anything but raw SQL says so.
    await expect(withSqliteTransaction(db, async (tx) => (tx as unknown as { share: { count(): Promise<number> } }).share.count(), opts)).rejects.toThrow(/raw SQL only/);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let open = false;
    const pass = withSqliteTransaction(db, async (tx) => {
      const n = await tx.$executeRawUnsafe(insertShare("sync-kept"));
      open = true;
      await held;
      return n;
    }, opts);
    while (!open) await new Promise((r) => setTimeout(r, 5));
    let plainDone = false;
    const plain = db.$executeRawUnsafe(insertShare("after-sync")).then(() => (plainDone = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(plainDone).toBe(false);
    release();
    expect(await pass).toBe(1);
    await plain;
    const ids = (await db.share.findMany({ select: { id: true } })).map((s) => s.id);
    expect(ids).toEqual(expect.arrayContaining(["sync-kept", "after-sync"]));
    expect(ids).not.toContain("sync-undone");
    await db.$executeRawUnsafe(`DELETE FROM "shares"`);
  });

  it("a plain write or read waits for an open transaction, and a write survives that transaction's rollback", async () => {
    let unblock!: () => void;
    const gate = new Promise<void>((r) => (unblock = r));
    let inside = false;
    const failing = db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe(insertShare("written-in-tx"));
      inside = true;
      await gate; // other requests' turn comes while this transaction is open
      throw new Error("the ingest failed");
    });
    while (!inside) await new Promise((r) => setTimeout(r, 5));
    let finishedWhileOpen = false;
    const plain = db.$executeRawUnsafe(insertShare("written-outside")).then((n) => ((finishedWhileOpen = true), n));
    const read = db.$queryRawUnsafe<{ id: string }[]>(`SELECT "id" FROM "shares"`);
    await new Promise((r) => setTimeout(r, 150));
    expect(finishedWhileOpen).toBe(false);
    unblock();
    await expect(failing).rejects.toThrow("the ingest failed");
    expect(await plain).toBe(1);
    expect((await read).map((r) => r.id)).not.toContain("written-in-tx"); // never saw what was rolled back
    expect((await db.share.findMany({ select: { id: true } })).map((s) => s.id)).toEqual(["written-outside"]);
  });

  it("takes turns in arrival order", async () => {
    const t = new Turnstile();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map(async (n) => {
        const release = await t.acquire();
        await new Promise((r) => setTimeout(r, 10 - n * 3));
        order.push(n);
        release();
        release(); // a second release changes nothing
      }),
    );
    expect(order).toEqual([1, 2, 3]);
  });
});
