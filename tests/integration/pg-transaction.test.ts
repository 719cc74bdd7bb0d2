// The ingest hot path's transaction on the plain pg driver (lib/db/pg-transaction.ts), on a
// real PostgreSQL: it commits, it rolls back everything when a step fails, and it refuses
// anything but raw SQL.
import { beforeAll, describe, expect, it } from "vitest";
import { useFreshDatabase } from "../support/databases";
import { postgresPoolOf, type Db } from "@/lib/db/client";
import { withPostgresTransaction } from "@/lib/db/pg-transaction";

describe("withPostgresTransaction", () => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await useFreshDatabase("postgresql"));
  });
  const insert = (tx: Parameters<Parameters<typeof withPostgresTransaction>[1]>[0], id: string) =>
    tx.$executeRawUnsafe(`INSERT INTO "shares" ("id", "token_hash", "resource_type", "resource_id", "created_at", "expires_at") VALUES ($1, $1, 'handoff', 'h', now(), now())`, id);

  it("commits on the pool Prisma uses", async () => {
    const pool = postgresPoolOf(db)!;
    expect(await withPostgresTransaction(pool, async (tx) => insert(tx, "tx-ok"))).toBe(1);
    expect(await db.share.count({ where: { id: "tx-ok" } })).toBe(1);
  });

  it("rolls back every statement when a later one fails, and the connection stays usable", async () => {
    const pool = postgresPoolOf(db)!;
    await expect(
      withPostgresTransaction(pool, async (tx) => {
        await insert(tx, "tx-rolled-back");
        await tx.$executeRawUnsafe(`SELECT no_such_function()`);
      }),
    ).rejects.toThrow(/no_such_function/);
    expect(await db.share.count({ where: { id: "tx-rolled-back" } })).toBe(0);
    expect(await withPostgresTransaction(pool, async (tx) => tx.$queryRawUnsafe(`SELECT 1 AS one`))).toEqual([{ one: 1 }]);
  });

  it("offers raw SQL only", async () => {
    await expect(withPostgresTransaction(postgresPoolOf(db)!, async (tx) => tx.share.count())).rejects.toThrow(/raw SQL only/);
  });
});
