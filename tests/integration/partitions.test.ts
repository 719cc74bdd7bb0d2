// PostgreSQL's intercepts by month (migration 0015, lib/db/queries/partitions.ts): a store
// with rows migrates into the partitioned layout with every row intact; records land in the
// month of their time (far-off times in intercepts_default); the same record re-sent, with
// another time too, from one process or two at once, is stored once; a month made later takes
// its rows out of the default partition; a timeline query with a time range reads only its
// months; retention drops a month it emptied and keeps a month holding a held record.
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freshDatabase } from "../support/databases";
import { databaseConfig } from "@/lib/db/config";
import { migrate } from "@/lib/ingest/migrate";
import { createDb, getDb, type Db } from "@/lib/db/client";
import { ingestRecords } from "@/lib/ingest/ingest";
import { agentTimeline } from "@/lib/db/queries/timeline";
import { interceptPartitions, monthOfMs, partitionName } from "@/lib/db/queries/partitions";
import { ensureInterceptPartitions } from "@/lib/ingest/partitions";
import { retentionPass, writeStoredRetention } from "@/lib/retention/service";
import { createLegalHold } from "@/lib/retention/legal-holds";

const DAY_MS = 86_400_000;
const MONTH = monthOfMs(Date.now())!;
/** A time (ms) in the middle of the month `delta` months from this one. */
const inMonth = (delta: number, day = 10) => Date.UTC(Math.floor((MONTH + delta) / 12), (MONTH + delta) % 12, day, 12);
const iso = (ms: number) => new Date(ms).toISOString();

function record(source: string, id: string, agent: string, ms: number, action = "fetch_weather") {
  return {
    type: "intercept", source, id, agent_id: agent, action_name: action,
    source_url: "https://api.weather.example.com/v1/current?city=Oslo", request_payload: { params: { city: "Oslo" } },
    raw_response: { temp_c: 4.5 }, created_at: iso(ms),
  };
}
const raw = (records: unknown[]) => records.map((value, index) => ({ index, value }));

async function sql<T = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as T[];
  } finally {
    await c.end();
  }
}
const count = async (url: string, from: string, where = "true", params: unknown[] = []) =>
  Number((await sql<{ n: string }>(url, `SELECT COUNT(*) AS n FROM ${from} WHERE ${where}`, params))[0].n);
/** Which partition holds each record (by source id). */
async function placement(url: string, source: string): Promise<Record<string, string>> {
  const rows = await sql<{ source_id: string; part: string }>(url, `SELECT "source_id", tableoid::regclass::text AS part FROM "intercepts" WHERE "source" = $1`, [source]);
  return Object.fromEntries(rows.map((r) => [r.source_id, r.part]));
}

/** A root whose migrations stop before 0015. */
function rootBefore0015(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "verdict-mig-"));
  for (const dialect of ["sqlite", "postgresql"]) {
    const from = path.join("prisma", "migrations", dialect);
    for (const name of readdirSync(from).filter((n) => n < "0015")) cpSync(path.join(from, name), path.join(root, "prisma", "migrations", dialect, name), { recursive: true });
  }
  return root;
}

describe("intercepts by month on postgresql", () => {
  const fingerprint = `SELECT md5(string_agg(concat_ws('|', "id", "source", "source_id", "dedupe_key", "generation", "agent_id", "action_name", "kind",
      "llm_provider", "source_url", "method", "host", "path", "request_payload", "raw_response", "response_hash", "created_at", "ts", "call_ref",
      "run_id", "intercept_index", "leak_tool_intercept_id", "is_leak", "extra", "ingested_at", "parent_tool_intercept_id", "batch_id",
      "batch_pos", "record_hash"), ',' ORDER BY "id")) AS f, COUNT(*) AS n FROM "intercepts"`;

  it("migrates a store with rows into the months, every row as it was, and keeps deduplicating them", async () => {
    const url = await freshDatabase("postgresql", rootBefore0015());
    // 5,000 rows as the code before 0015 stored them: over the last 7 months (200 with a leak
    // link, 100 with a call_ref), 10 from 1999 and 10 from 2045 (outside the months made).
    const N = 5000;
    const monthUs = 30 * DAY_MS * 1000;
    const startUs = inMonth(-6, 1) * 1000;
    await sql(url, `INSERT INTO "intercepts" ("id", "source", "source_id", "dedupe_key", "generation", "agent_id", "action_name", "kind", "llm_provider",
        "source_url", "method", "host", "path", "request_payload", "raw_response", "response_hash", "created_at", "ts", "call_ref", "intercept_index",
        "leak_tool_intercept_id", "is_leak", "extra", "ingested_at", "record_hash", "batch_id", "batch_pos")
      SELECT 'int_' || lpad(n::text, 8, '0'), 'mig', n::text, '["mig","' || n || '"]', 'A', 'agent_' || (n % 7), 'fetch_weather',
        CASE WHEN n % 3 = 0 THEN 'tool_call' ELSE 'llm_call' END, NULL, 'https://x.example/p', 'GET', 'x.example', '/p', '{"n":' || n || '}', NULL, NULL,
        'created ' || n, CASE WHEN n < 10 THEN 915148800000000 + n WHEN n < 20 THEN 2366841600000000 + n ELSE $1::bigint + (n * $2::bigint / $3::bigint) END,
        CASE WHEN n % 50 = 0 THEN 'ref-' || n END, n, CASE WHEN n % 25 = 1 THEN 'int_00000000' END, n % 25 = 1, NULL, n, 'h' || n, 'b' || (n / 100), n % 100
      FROM generate_series(0, ${N - 1}) AS n`, [startUs, 7 * monthUs, N]);
    const [before] = await sql<{ f: string; n: string }>(url, fingerprint);
    expect(Number(before.n)).toBe(N);

    const t0 = performance.now();
    expect(await migrate(databaseConfig({ DATABASE_URL: url }))).toEqual(["0015_intercepts_partitioned"]);
    const ms = performance.now() - t0;
    console.log(`[partitions] migration 0015 moved ${N} rows in ${Math.round(ms)} ms`);

    const [after] = await sql<{ f: string; n: string }>(url, fingerprint);
    expect(after).toEqual(before);
    expect(await count(url, `"intercept_dedupe"`)).toBe(N);
    expect(await count(url, `"intercept_dedupe" k JOIN "intercepts" i ON i."id" = k."id" AND i."ts" = k."ts" AND i."dedupe_key" = k."dedupe_key"`)).toBe(N);
    expect(await count(url, `"intercepts_default"`)).toBe(20);
    expect(await sql(url, `SELECT relkind FROM pg_class WHERE relname = 'intercepts'`)).toEqual([{ relkind: "p" }]);
    const months = (await sql<{ name: string }>(url, `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'intercepts'::regclass`)).map((r) => r.name);
    for (let d = -6; d <= 2; d++) expect(months).toContain(partitionName(MONTH + d));
    expect(months).toContain("intercepts_default");
    // Every partition has the table's indexes.
    const perPartition = await sql<{ n: string }>(url, `SELECT COUNT(*) AS n FROM pg_indexes WHERE tablename = $1`, [partitionName(MONTH)]);
    expect(Number(perPartition[0].n)).toBe(6);

    // The same records re-sent, with other times: known, not stored again.
    process.env.DATABASE_URL = url;
    const again = await ingestRecords(raw([record("mig", "25", "agent_4", inMonth(0)), record("mig", "5", "agent_5", inMonth(-2)), record("mig", "4999", "agent_1", Date.UTC(2050, 0, 1))]));
    expect(again).toEqual({ accepted: 0, duplicates: 3, rejected: [] });
    expect(await count(url, `"intercepts"`)).toBe(N);
  });

  describe("on a migrated store", () => {
    let url: string;
    let db: Db;
    beforeAll(async () => {
      url = await freshDatabase("postgresql");
      process.env.DATABASE_URL = url;
      ({ db } = getDb());
    });

    it("stores each record in its month's partition, far-off times in the default one, and each record once", async () => {
      const times: Record<string, number> = {
        now: Date.now(), back2: inMonth(-2), back14: inMonth(-14), ahead2: inMonth(2),
        ancient: Date.UTC(2015, 5, 1), future: Date.UTC(2040, 0, 1), ahead5: inMonth(5),
      };
      const batch = Object.entries(times).map(([id, ms]) => record("spread", id, "spreader", ms));
      expect(await ingestRecords(raw(batch))).toEqual({ accepted: 7, duplicates: 0, rejected: [] });
      const month = (ms: number) => partitionName(monthOfMs(ms)!);
      expect(await placement(url, "spread")).toEqual({
        now: month(times.now), back2: month(times.back2), back14: month(times.back14), ahead2: month(times.ahead2),
        ancient: "intercepts_default", future: "intercepts_default", ahead5: "intercepts_default",
      });

      // Re-sent as they were, and re-sent with other times: the same records, none stored again.
      expect(await ingestRecords(raw(batch))).toEqual({ accepted: 0, duplicates: 7, rejected: [] });
      const moved = Object.keys(times).map((id, i) => record("spread", id, "spreader", Date.UTC(2026, 0, 1 + i)));
      expect(await ingestRecords(raw(moved))).toEqual({ accepted: 0, duplicates: 7, rejected: [] });
      expect(await count(url, `"intercepts"`, `"source" = 'spread'`)).toBe(7);
      expect(await count(url, `"intercept_dedupe"`)).toBe(await count(url, `"intercepts"`));
    });

    it("two processes sending the same new records at once, into a month nobody has made yet, store each once", async () => {
      // Two clients with their own pools and their own idea of which months exist, as two servers have.
      const a = createDb({ DATABASE_URL: url });
      const b = createDb({ DATABASE_URL: url });
      try {
        const batch = Array.from({ length: 200 }, (_, i) => record("twice", `r${i}`, `agent_${i % 5}`, inMonth(-20, 1 + (i % 20)) + i));
        const before = await count(url, `"intercepts"`);
        const [ra, rb] = await Promise.all([
          ingestRecords(raw(batch), { db: a.db, dialect: "postgresql" }),
          ingestRecords(raw(batch), { db: b.db, dialect: "postgresql" }),
        ]);
        expect(ra.accepted + rb.accepted).toBe(200);
        expect(ra.duplicates + rb.duplicates).toBe(200);
        expect(await count(url, `"intercepts"`)).toBe(before + 200);
        expect(new Set(Object.values(await placement(url, "twice")))).toEqual(new Set([partitionName(MONTH - 20)]));
        expect(await count(url, `"intercept_dedupe"`)).toBe(await count(url, `"intercepts"`));
      } finally {
        await a.db.$disconnect();
        await b.db.$disconnect();
      }
    });

    it("a month made later takes its rows out of the default partition, and they stay deduplicated", async () => {
      const ms = inMonth(5, 3);
      expect((await placement(url, "spread")).ahead5).toBe("intercepts_default");
      // Three months on, that month is within reach: the next batch's check makes it.
      const later = Date.now() + 92 * DAY_MS;
      expect(await ensureInterceptPartitions({ db, dialect: "postgresql" }, [{ ts: ms * 1000 }], later)).toBe(1);
      expect((await placement(url, "spread")).ahead5).toBe(partitionName(MONTH + 5));
      expect(await count(url, `"intercepts_default"`, `"source" = 'spread'`)).toBe(2);
      expect(await ingestRecords(raw([record("spread", "ahead5", "spreader", ms)]))).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
      expect((await interceptPartitions({ db, dialect: "postgresql" })).map((p) => p.name)).toContain(partitionName(MONTH + 5));
    });

    it("the leak rule links an LLM call to the newest earlier tool call of its tag, in its own month, the month before or months back", async () => {
      // On PostgreSQL the rule first looks within 31 days (two months at most), then further back.
      const llm = (id: string, ms: number) => ({ ...record("tags", id, "tagger", ms), source_url: "https://api.openai.com/v1/chat/completions", request_payload: { model: "gpt-4o" }, raw_response: { id: "chatcmpl" } });
      const batch = [
        record("tags", "tool_old", "tagger", inMonth(-5, 3)),
        llm("llm_far", inMonth(-2, 20)), // 3½ months after its only earlier tool call
        record("tags", "tool_prev", "tagger", inMonth(-1, 27)),
        llm("llm_next", inMonth(0, 3)), // a week later, across the month's end
        record("tags", "tool_same", "tagger", inMonth(0, 4)),
        llm("llm_same", inMonth(0, 4) + 1000),
        llm("llm_first", inMonth(-6, 1)), // before any tool call of the tag: no link
      ];
      expect((await ingestRecords(raw(batch))).accepted).toBe(7);
      const links = Object.fromEntries((await sql<{ source_id: string; tool: string | null }>(url,
        `SELECT i."source_id", t."source_id" AS tool FROM "intercepts" i LEFT JOIN "intercepts" t ON t."id" = i."leak_tool_intercept_id" WHERE i."source" = 'tags' AND i."kind" = 'llm_call'`)).map((r) => [r.source_id, r.tool]));
      expect(links).toEqual({ llm_far: "tool_old", llm_next: "tool_prev", llm_same: "tool_same", llm_first: null });
      // A tool call sent late, between llm_far and its old tool call, takes the link over.
      expect((await ingestRecords(raw([record("tags", "tool_late", "tagger", inMonth(-3, 15))]))).accepted).toBe(1);
      const far = await sql<{ tool: string }>(url, `SELECT t."source_id" AS tool FROM "intercepts" i JOIN "intercepts" t ON t."id" = i."leak_tool_intercept_id" WHERE i."source" = 'tags' AND i."source_id" = 'llm_far'`);
      expect(far.map((r) => r.tool)).toEqual(["tool_late"]);
    });

    it("a timeline query with a time range reads only the partitions of its months", async () => {
      const batch = Array.from({ length: 60 }, (_, i) => record("pruned", `p${i}`, "pruner", inMonth(-(i % 3), 5) + i * 1000));
      expect((await ingestRecords(raw(batch))).accepted).toBe(60);
      await sql(url, `ANALYZE "intercepts"`);
      // The very statement the timeline runs, captured on its way to the database.
      let captured: { text: string; params: unknown[] } | undefined;
      const spy = new Proxy(db, {
        get(target, prop, receiver) {
          if (prop === "$queryRawUnsafe") return (text: string, ...params: unknown[]) => ((captured = { text, params }), target.$queryRawUnsafe(text, ...params));
          return Reflect.get(target, prop, receiver);
        },
      });
      const [lo, hi] = [inMonth(-1, 1) * 1000, inMonth(-1, 28) * 1000];
      const page = await agentTimeline({ db: spy, dialect: "postgresql" }, { agentId: "pruner", limit: 50, fromTs: lo, toTs: hi });
      expect(page.rows.length).toBe(20);
      // The partitions the plan reads (EXPLAIN ANALYZE: pruned ones are not in it, or never executed).
      const read = async () => {
        const lines = (await sql<{ "QUERY PLAN": string }>(url, `EXPLAIN (ANALYZE, COSTS OFF) ${captured!.text}`, captured!.params)).map((r) => r["QUERY PLAN"]);
        return new Set(lines.filter((l) => !l.includes("never executed")).flatMap((l) => [...l.matchAll(/ on (intercepts_\w+)/g)].map((m) => m[1])));
      };
      expect([...(await read())]).toEqual([partitionName(MONTH - 1)]);
      // Without a range every month is read (the default partition keeps them from being read in order).
      await agentTimeline({ db: spy, dialect: "postgresql" }, { agentId: "pruner", limit: 50 });
      expect((await read()).size).toBeGreaterThan(3);
    });

    describe("retention", () => {
      afterAll(async () => {
        await writeStoredRetention({ db, dialect: "postgresql" }, { default_days: null, sources: {} });
      });

      it("drops a month it emptied whole and keeps the month that holds a held agent's records", async () => {
        // Month -9: two agents, one of them held; month -10: one agent, nothing held.
        const m9 = Array.from({ length: 30 }, (_, i) => record("ret", `a${i}`, i % 2 ? "held_agent" : "free_agent", inMonth(-9, 1 + i % 20) + i));
        const m10 = Array.from({ length: 30 }, (_, i) => record("ret", `b${i}`, "free_agent", inMonth(-10, 1 + i % 20) + i));
        expect((await ingestRecords(raw([...m9, ...m10]))).accepted).toBe(60);
        await createLegalHold({ db, dialect: "postgresql" }, { target_type: "agent", agent_id: "held_agent", reason: "litigation" }, "test");
        const tombstonesBefore = await count(url, `"tombstones"`);
        // Everything older than 200 days goes: months -9 and -10 and older (the 2015 record, the
        // default partition's, and the spread record 14 months back too).
        await writeStoredRetention({ db, dialect: "postgresql" }, { default_days: 200, sources: {} });
        const pass = await retentionPass();
        expect(pass.ran).toBe(true);
        if (!pass.ran) return;
        const names = (await interceptPartitions({ db, dialect: "postgresql" })).map((p) => p.name);
        expect(names).not.toContain(partitionName(MONTH - 10));
        expect(pass.partitionsDropped).toContain(partitionName(MONTH - 10));
        expect(names).toContain(partitionName(MONTH - 9));
        expect(await count(url, `"intercepts"`, `"source" = 'ret'`)).toBe(15);
        expect(await count(url, `"intercepts"`, `"source" = 'ret' AND "agent_id" = 'held_agent'`)).toBe(15);
        // Every deleted row left its tombstone; no dedupe key is left without its row.
        expect(await count(url, `"tombstones"`)).toBe(tombstonesBefore + pass.result.counts.intercepts);
        expect(pass.result.counts.intercepts).toBeGreaterThanOrEqual(45);
        expect(await count(url, `"intercept_dedupe"`)).toBe(await count(url, `"intercepts"`));
        // A deleted record sent again is a new record, as before partitioning; its month is made again.
        expect(await ingestRecords(raw([m10[0]]))).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
        expect((await placement(url, "ret")).b0).toBe(partitionName(MONTH - 10));
      });
    });
  });
});
