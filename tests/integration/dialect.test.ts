// lib/db/dialect.ts on both real databases: each piece of SQL that differs per dialect gives
// the same answer on SQLite and PostgreSQL, so a query written once with them means one thing.
import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { bool, num, query } from "@/lib/db/sql";
import type { Db, Tx } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/config";
import { boolParam, boolSql, distinctFrom, idListParam, inIdList, intDiv, jsonRows, jsonTextField, jsonTexts, leastGreatest, lockClause } from "@/lib/db/dialect";
import { writeTransaction } from "@/lib/db/transaction";

describe.each(DIALECTS)("dialect (%s)", (dialect: Dialect) => {
  let db: Db;
  const q = (sql: string, params: unknown[] = []) => query(db as unknown as Tx, dialect, sql, params);

  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
  });

  it("jsonRows: one JSON array of arrays in, its rows out; a missing trailing value is NULL; casts keep 64-bit integers", async () => {
    const r = jsonRows(dialect, "r");
    const big = 2 ** 53 - 1;
    const rows = await q(`SELECT ${r.col(0)} AS a, ${r.col(1, "bigint")} AS b, ${r.col(2)} AS c FROM ${r.from} ORDER BY ${r.col(1, "bigint")}`,
      [JSON.stringify([["x", big, null], ["y\u00e9'\"", -big], ["z", 0, "w"]])]);
    expect(rows.map((x) => [x.a, num(x.b), x.c])).toEqual([["y\u00e9'\"", -big, null], ["z", 0, "w"], ["x", big, null]]);
  });

  it("jsonRows: a 1/0 value cast to boolean is a boolean where the column is one", async () => {
    const r = jsonRows(dialect, "r");
    const rows = await q(`SELECT ${r.col(0)} AS id, (${r.col(1, "boolean")}) AS m FROM ${r.from} ORDER BY ${r.col(0)}`, [JSON.stringify([["a", 1], ["b", 0]])]);
    expect(rows.map((x) => [x.id, bool(x.m)])).toEqual([["a", true], ["b", false]]);
  });

  it("jsonTexts and inIdList: a list of strings as rows, and as an IN list", async () => {
    const t = jsonTexts(dialect, "t");
    expect((await q(`SELECT ${t.value} AS v FROM ${t.from} ORDER BY ${t.value}`, [JSON.stringify(["b", "a"])])).map((x) => x.v)).toEqual(["a", "b"]);
    await q(`INSERT INTO "settings" ("key", "value", "updated_at") VALUES ('k1', 'v1', 'now'), ('k2', 'v2', 'now'), ('k3', 'v3', 'now')`);
    const found = await q(`SELECT "key" FROM "settings" WHERE ${inIdList(dialect, `"key"`)} ORDER BY "key"`, [idListParam(dialect, ["k3", "k1", "nope"])]);
    expect(found.map((x) => x.key)).toEqual(["k1", "k3"]);
  });

  it("booleans: as parameters and in SQL text", async () => {
    const [row] = await q(`SELECT (${boolSql(dialect, true)}) AS t, (${boolSql(dialect, false)}) AS f, (? = ${boolSql(dialect, true)}) AS p`, [boolParam(dialect, true)]);
    expect([bool(row.t), bool(row.f), bool(row.p)]).toEqual([true, false, true]);
  });

  it("distinctFrom, leastGreatest, intDiv", async () => {
    const [least, greatest] = leastGreatest(dialect);
    const [row] = await q(`SELECT (NULL ${distinctFrom(dialect)} NULL) AS nn, (1 ${distinctFrom(dialect)} NULL) AS one, ${least}(3, 5) AS lo, ${greatest}(3, 5) AS hi, ${intDiv(dialect, "(CAST(? AS BIGINT))", 86_400)} AS d`,
      [86_400 * 3 + 5]);
    expect([bool(row.nn), bool(row.one), num(row.lo), num(row.hi), num(row.d)]).toEqual([false, true, 3, 5, 3]);
  });

  it("jsonTextField reads a field of JSON kept in a text column", async () => {
    await q(`INSERT INTO "settings" ("key", "value", "updated_at") VALUES ('lease', ?, 'now')`, [JSON.stringify({ owner: "me", until: 2 ** 40 })]);
    const [row] = await q(`SELECT ${jsonTextField(dialect, `"value"`, "owner")} AS o, ${jsonTextField(dialect, `"value"`, "until", "integer")} AS u FROM "settings" WHERE "key" = 'lease'`);
    expect([row.o, num(row.u)]).toEqual(["me", 2 ** 40]);
  });

  it("lockClause is valid SQL in a write transaction", async () => {
    const rows = await writeTransaction({ db, dialect }, ({ db: tx }) =>
      query(tx, dialect, `SELECT "key" FROM "settings" WHERE "key" = 'k1'${lockClause(dialect, "FOR UPDATE SKIP LOCKED")}`), { timeout: 10_000 });
    expect(rows.map((x) => x.key)).toEqual(["k1"]);
  });
});
