// The hot ingest path against a real SQLite file (PostgreSQL runs the same path in
// tests/integration/ingest.test.ts): values round-trip exactly, known dedupe keys are
// skipped, and leak links follow the latest earlier tool call, also when it arrives late.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, sqliteConnectionOf, type Db } from "../client";
import { databaseConfig } from "../config";
import { migrate } from "../../ingest/migrate";
import { insertRows, postgresInsertSql, sqliteRowInsertSql } from "./insert";
import { relinkLeaks } from "./leaks";
import { INTERCEPT_COLUMNS, interceptValues, type InterceptRow } from "./ingest";
import { leakScopes } from "../../ingest/store";

let db: Db;
beforeAll(async () => {
  const url = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "verdict-insert-")), "t.db")}`;
  await migrate(databaseConfig({ DATABASE_URL: url }));
  ({ db } = createDb({ DATABASE_URL: url }));
});
afterAll(async () => {
  await db.$disconnect();
});

function row(id: string, kind: InterceptRow["kind"], actionName: string, ts: number, over: Partial<InterceptRow> = {}): InterceptRow {
  return {
    id, source: "t", sourceId: id, dedupeKey: `k-${id}`, generation: "A", agentId: "a1", actionName, kind,
    llmProvider: kind === "llm_call" ? "OpenAI" : null, sourceUrl: "https://x.example/p?q=1", method: "GET", host: "x.example",
    path: "/p?q=1", requestPayload: "{}", rawResponse: null, responseHash: null, createdAt: new Date(ts / 1000).toISOString(), ts,
    callRef: null, runId: null, interceptIndex: null, extra: null, ingestedAt: 1, ...over,
  };
}

async function store(rows: InterceptRow[]): Promise<Set<string>> {
  return db.$transaction(async (tx) => {
    const ids = await insertRows({ db: tx, dialect: "sqlite", sqlite: sqliteConnectionOf(db) }, "intercepts", INTERCEPT_COLUMNS, rows.map((r) => interceptValues(r, "sqlite")));
    await relinkLeaks({ db: tx, dialect: "sqlite" }, leakScopes(rows.filter((r) => ids.has(r.id))));
    return ids;
  });
}

describe("insertRows (SQLite)", () => {
  it("binds a row per statement on SQLite, the whole batch as one parameter on PostgreSQL", () => {
    expect(sqliteRowInsertSql("intercepts", ["id", "ts"])).toBe('INSERT INTO "intercepts" ("id", "ts") VALUES (?, ?) ON CONFLICT ("dedupe_key") DO NOTHING');
    const pg = postgresInsertSql("intercepts", ["id", "ts"], new Map([["id", "text"], ["ts", "bigint"]]));
    expect(pg.match(/\?/g)).toHaveLength(1);
    expect(pg).toContain('SELECT r ->> 0, CAST(r ->> 1 AS bigint) FROM jsonb_array_elements(?::jsonb) AS r');
    expect(() => postgresInsertSql("intercepts", ["nope"], new Map())).toThrow(/no column nope/);
  });

  it("refuses to write outside the request's transaction", async () => {
    await db.intercept.count(); // connects
    await expect(insertRows({ db, dialect: "sqlite", sqlite: sqliteConnectionOf(db) }, "intercepts", INTERCEPT_COLUMNS, [interceptValues(row("x1", "tool_call", "a", 1), "sqlite")])).rejects.toThrow(/inside the request's transaction/);
    expect(await db.intercept.count({ where: { id: "x1" } })).toBe(0);
  });

  it("rolls back with the transaction: nothing of a failed request stays", async () => {
    await expect(
      db.$transaction(async (tx) => {
        await insertRows({ db: tx, dialect: "sqlite", sqlite: sqliteConnectionOf(db) }, "intercepts", INTERCEPT_COLUMNS, [interceptValues(row("rb1", "tool_call", "a", 2), "sqlite")]);
        throw new Error("later step failed");
      }),
    ).rejects.toThrow("later step failed");
    expect(await db.intercept.count({ where: { id: "rb1" } })).toBe(0);
  });

  it("stores every value exactly and returns the new ids", async () => {
    const tricky = row("r1", "tool_call", "fetch", 1_700_000_000_123_456, {
      requestPayload: '{"q": "a \\"quoted\\" \\\\ value", "é": "☃ 🚀"}',
      rawResponse: null, interceptIndex: 7, sourceId: "00042", extra: "line\nbreak\ttab",
    });
    const ids = await store([tricky]);
    expect([...ids]).toEqual(["r1"]);
    const back = await db.intercept.findUniqueOrThrow({ where: { id: "r1" } });
    expect(back).toMatchObject({ requestPayload: tricky.requestPayload, rawResponse: null, interceptIndex: 7, sourceId: "00042", extra: "line\nbreak\ttab", ts: 1_700_000_000_123_456n, isLeak: false });
  });

  it("skips known dedupe keys, within the table and returns only new ids", async () => {
    const ids = await store([row("r1-again", "tool_call", "fetch", 5, { dedupeKey: "k-r1" }), row("r2", "untagged_call", "unknown", 6)]);
    expect([...ids]).toEqual(["r2"]);
    expect(await db.intercept.count({ where: { id: "r1-again" } })).toBe(0);
  });

  it("handles batches larger than one statement", async () => {
    const many = Array.from({ length: 12_001 }, (_, i) => row(`m${i}`, "untagged_call", "unknown", 10_000 + i));
    expect((await store(many)).size).toBe(12_001);
  });
});

describe("relinkLeaks (SQLite)", () => {
  const T = 2_000_000_000_000_000;
  it("links an LLM call carrying a tool's tag to the latest earlier tool call", async () => {
    await store([row("t1", "tool_call", "lookup", T), row("l1", "llm_call", "lookup", T + 10), row("t2", "tool_call", "lookup", T + 20), row("l2", "llm_call", "lookup", T + 30), row("l0", "llm_call", "other", T + 40)]);
    const got = Object.fromEntries((await db.intercept.findMany({ where: { id: { in: ["l1", "l2", "l0"] } } })).map((r) => [r.id, [r.isLeak, r.leakToolId]]));
    expect(got).toEqual({ l1: [true, "t1"], l2: [true, "t2"], l0: [false, null] });
  });

  it("relinks stored LLM calls when an earlier tool call arrives late, in another batch", async () => {
    await store([row("late", "tool_call", "lookup", T + 25)]);
    expect(await db.intercept.findUniqueOrThrow({ where: { id: "l2" } })).toMatchObject({ isLeak: true, leakToolId: "late" });
    expect(await db.intercept.findUniqueOrThrow({ where: { id: "l1" } })).toMatchObject({ leakToolId: "t1" });
  });

  it("links an LLM call whose tool call came in an earlier batch", async () => {
    await store([row("l3", "llm_call", "lookup", T + 50)]);
    expect(await db.intercept.findUniqueOrThrow({ where: { id: "l3" } })).toMatchObject({ isLeak: true, leakToolId: "late" });
  });
});
