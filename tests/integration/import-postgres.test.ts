// The recorder's own PostgreSQL, both generations, in a database of its own; Verdict reads it
// through a role that may only SELECT, so any write would fail the import.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { importPostgres } from "@/lib/importers/postgres";
import { formatRejection } from "@/lib/importers/sink";
import type { Db } from "@/lib/db/client";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TOOL_ROWS = 12; // generation A: each tool call is followed by an LLM call that leaked its tag
const GEN_A = TOOL_ROWS * 2 + 1; // + one filler row
const GEN_B = 4;
const TOTAL = GEN_A + GEN_B + 1; // + one trace
const TRACE_ID = "9f1c0000-0000-4000-8000-000000000001";
const CALL_REF = "7d3f0c1e-0000-4000-8000-0000000000aa";

const SCHEMA = `
  CREATE TABLE provably_intercepts (
    id SERIAL PRIMARY KEY, agent_id TEXT NOT NULL, action_name TEXT NOT NULL, source_url TEXT NOT NULL,
    request_payload TEXT DEFAULT '{}', raw_response TEXT, response_hash TEXT,
    created_at TIMESTAMP WITHOUT TIME ZONE DEFAULT (now() AT TIME ZONE 'utc'));
  -- generation B; run_id / response_hash left out: optional columns may be missing
  CREATE TABLE intercepts (
    id UUID PRIMARY KEY, agent_id TEXT NOT NULL, action_name TEXT NOT NULL, source_url TEXT NOT NULL,
    request_payload TEXT DEFAULT '{}', raw_response TEXT, call_ref UUID, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL);
  CREATE TABLE traces (
    id UUID PRIMARY KEY, agent_id TEXT, run_id TEXT, task TEXT, outcome TEXT, created_at TIMESTAMP WITHOUT TIME ZONE NOT NULL);
  CREATE TABLE trace_intercepts (
    id SERIAL PRIMARY KEY, trace_id UUID NOT NULL REFERENCES traces(id), intercept_id UUID, call_ref UUID,
    json_path TEXT, claimed_value TEXT, indexed_value TEXT, verification_mode TEXT, result TEXT, detail TEXT);`;

async function seed(c: pg.Client) {
  await c.query(SCHEMA);
  for (let i = 0; i < TOOL_ROWS; i++) {
    const at = (s: number) => `2026-11-20 10:${String(i).padStart(2, "0")}:0${s}.12345${i % 10}`;
    const url = `https://api.weather.example.com/v1/current?city=c${i}`;
    await c.query(
      `INSERT INTO provably_intercepts (agent_id, action_name, source_url, request_payload, raw_response, response_hash, created_at) VALUES
       ('fetch_and_claim', 'fetch_weather', $1, $2, $3, 'h', $4),
       ('fetch_and_claim', 'fetch_weather', 'https://api.openai.com/v1/chat/completions', '{"method": "POST", "url": "https://api.openai.com/v1/chat/completions"}', '{"choices": []}', 'h', $5)`,
      [url, JSON.stringify({ method: "GET", url }), JSON.stringify({ temp_c: i }), at(0), at(1)],
    );
  }
  await c.query(`INSERT INTO provably_intercepts (agent_id, action_name, source_url, created_at) VALUES ('__provably_preprocess_pad', '__dummy_row', 'https://pad.invalid/', '2026-11-20 09:00:00')`);
  for (let i = 0; i < GEN_B; i++) {
    await c.query(
      `INSERT INTO intercepts (id, agent_id, action_name, source_url, request_payload, raw_response, call_ref, created_at) VALUES ($1, 'researcher', 'search_docs', $2, $3, $4, $5, $6)`,
      [`0b8e4f52-1111-4000-8000-00000000000${i}`, `https://search.internal.example/api?q=t${i}`, JSON.stringify({ params: { q: `t${i}` } }), JSON.stringify({ hits: 3 + i }), i === 1 ? CALL_REF : null, `2026-11-20 11:0${i}:00.5`],
    );
  }
  await c.query(`INSERT INTO traces (id, agent_id, run_id, task, created_at) VALUES ($1, 'researcher', 'run-r', 'How many hits?', '2026-11-20 11:05:00')`, [TRACE_ID]);
  await c.query(
    `INSERT INTO trace_intercepts (trace_id, intercept_id, call_ref, json_path, claimed_value, indexed_value, verification_mode, result, detail) VALUES
     ($1, '0b8e4f52-1111-4000-8000-000000000001', $2, '$.hits', '4', '4', 'field_extraction', 'PASS', NULL),
     ($1, '0b8e4f52-1111-4000-8000-000000000001', $2, '$.hits', '5', '4', 'field_extraction', 'CAUGHT', 'value mismatch')`,
    [TRACE_ID, CALL_REF],
  );
}

/** A fingerprint of every row of the source, to show the import changed nothing there. */
async function fingerprint(c: pg.Client): Promise<string> {
  const parts = [];
  for (const t of ["provably_intercepts", "intercepts", "traces", "trace_intercepts"]) {
    parts.push((await c.query(`SELECT count(*) AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`)).rows[0]);
  }
  return JSON.stringify(parts);
}

describe.each(DIALECTS)("import from the recorder's PostgreSQL into %s", (dialect) => {
  let db: Db;
  let owner: pg.Client;
  let readerUrl: string;
  let before: string;
  const rejected: string[] = [];
  const run = (source: string, extra: Partial<Parameters<typeof importPostgres>[0]> = {}) =>
    importPostgres({ url: readerUrl, source, batchSize: 7, onRejected: (r) => rejected.push(formatRejection(r)), ...extra });

  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
    const admin = inject("pgAdminUrl");
    const name = `recorder_${randomBytes(5).toString("hex")}`;
    const role = `verdict_reader_${randomBytes(5).toString("hex")}`;
    const a = new pg.Client({ connectionString: admin });
    await a.connect();
    await a.query(`CREATE DATABASE "${name}"`);
    await a.query(`CREATE ROLE "${role}" LOGIN`);
    await a.end();
    owner = new pg.Client({ connectionString: admin.replace(/\/postgres$/, `/${name}`) });
    await owner.connect();
    await seed(owner);
    await owner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${role}"`);
    readerUrl = admin.replace(/\/\/postgres@/, `//${role}@`).replace(/\/postgres$/, `/${name}`);
    before = await fingerprint(owner);
  });
  afterAll(async () => {
    await owner?.end();
  });

  it("imports both generations, and the traces as handoffs with the recorder's per-claim outcomes", async () => {
    let announced = 0;
    const r = await run("recorder", { onStart: (_tables, total) => (announced = total) });
    expect(rejected).toEqual([]);
    expect(announced).toBe(TOTAL);
    expect(r).toEqual({ read: TOTAL, accepted: TOTAL, duplicates: 0, rejected: 0, stopped: false });
    expect(await db.intercept.count({ where: { source: "recorder" } })).toBe(GEN_A + GEN_B);
    const tool = await db.intercept.findFirstOrThrow({ where: { source: "recorder", sourceId: "1" } });
    const llm = await db.intercept.findFirstOrThrow({ where: { source: "recorder", sourceId: "2" } });
    expect(tool).toMatchObject({ generation: "A", kind: "tool_call", createdAt: "2026-11-20T10:00:00.123450Z" });
    expect(llm).toMatchObject({ kind: "llm_call", isLeak: true, leakToolId: tool.id });
    expect(await db.intercept.count({ where: { source: "recorder", isLeak: true } })).toBe(TOOL_ROWS);
    const genB = await db.intercept.findFirstOrThrow({ where: { sourceId: "0b8e4f52-1111-4000-8000-000000000001" } });
    expect(genB).toMatchObject({ generation: "B", callRef: CALL_REF, createdAt: "2026-11-20T11:01:00.500000Z" });
    const handoff = await db.handoff.findFirstOrThrow({ where: { source: "recorder", sourceId: TRACE_ID } });
    expect(handoff).toMatchObject({ agentId: "researcher", generation: "call_ref", evaluatorOutcome: "CAUGHT", claimCount: 2, runId: "run-r" });
    const evaluation = JSON.parse(handoff.evaluation!);
    expect(evaluation.per_claim.map((p: { result: string }) => p.result)).toEqual(["PASS", "CAUGHT"]);
  });

  it("re-importing stores nothing twice", async () => {
    const r = await run("recorder");
    expect(r).toMatchObject({ read: TOTAL, accepted: 0, duplicates: TOTAL, rejected: 0 });
    expect(await db.intercept.count({ where: { source: "recorder" } })).toBe(GEN_A + GEN_B);
    expect(await db.handoff.count({ where: { source: "recorder" } })).toBe(1);
  });

  it("can be interrupted after a batch and resumed without duplicates", async () => {
    const stop = new AbortController();
    const first = await run("resume", { signal: stop.signal, onProgress: () => stop.abort() });
    expect(first).toMatchObject({ read: 7, accepted: 7, stopped: true });
    expect(await db.intercept.count({ where: { source: "resume" } })).toBe(7);
    const second = await run("resume");
    expect(second).toMatchObject({ read: TOTAL, accepted: TOTAL - 7, duplicates: 7, stopped: false });
    expect(await db.intercept.count({ where: { source: "resume" } })).toBe(GEN_A + GEN_B);
  });

  it("verdict import --follow picks up a row added while it runs, and stops on Ctrl-C", async () => {
    // bin/verdict.mjs is what `npx verdict` runs.
    const child = spawn(process.execPath, ["bin/verdict.mjs", "import", readerUrl, "--follow", "--interval", "0.3", "--source", "follow", "--batch-size", "50"], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const until = async (what: string, ok: () => Promise<boolean> | boolean) => {
      for (let i = 0; i < 600; i++) {
        if (await ok()) return;
        if (child.exitCode !== null) throw new Error(`import exited (${child.exitCode}) before ${what}: ${stderr}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}: ${stderr}`);
    };
    try {
      await until("catching up", () => stderr.includes("Caught up"));
      expect(await db.intercept.count({ where: { source: "follow" } })).toBe(GEN_A + GEN_B);
      const { rows } = await owner.query(
        `INSERT INTO provably_intercepts (agent_id, action_name, source_url, request_payload, raw_response, created_at)
         VALUES ('fetch_and_claim', 'fetch_weather', 'https://api.openai.com/v1/chat/completions', '{"method": "POST", "url": "https://api.openai.com/v1/chat/completions"}', '{}', '2026-11-21 08:00:00.000007') RETURNING id`,
      );
      const newId = String(rows[0].id);
      await until("the new row", async () => (await db.intercept.count({ where: { source: "follow", sourceId: newId } })) === 1);
      expect(await db.intercept.findFirstOrThrow({ where: { source: "follow", sourceId: newId } })).toMatchObject({ kind: "llm_call", isLeak: true });
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(stdout).toMatch(/^Stopped: \d+ read, \d+ new, 0 already stored, 0 rejected\./);
      // the new row is the source's too; put the fingerprint back in step for the last test
      await owner.query(`DELETE FROM provably_intercepts WHERE id = $1`, [rows[0].id]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
  });

  it("never wrote to the source database (it read through a SELECT-only role)", async () => {
    expect(await fingerprint(owner)).toBe(before);
    const reader = new pg.Client({ connectionString: readerUrl });
    await reader.connect();
    await expect(reader.query(`INSERT INTO traces (id, created_at) VALUES (gen_random_uuid(), now())`)).rejects.toThrow(/permission denied/);
    await reader.end();
  });
});
