// `verdict import` from a real PostgreSQL holding sourcerykit 1.0.1's own tables, created with
// its own DDL (alembic 001-004 of tag v1.0.1) and filled as the library fills them: intercepts
// with created_at = NOW() (no value given) in a database whose TimeZone is not UTC, an LLM call
// made inside the tool's scoped block (same call_ref, before the fetch), traces(task),
// trace_intercepts rows pointing at the row the loader read (the first of the call_ref), and the
// evaluator's UPDATE of outcome/details — or none, when it raised.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { importPostgres } from "@/lib/importers/postgres";
import { formatRejection } from "@/lib/importers/sink";
import { getHandoffDetail } from "@/lib/handoffs/service";
import { getDb, type Db } from "@/lib/db/client";
import { AGENT, ROWS, REF_CLEAN, REF_LEAK } from "../fixtures/sourcerykit-1.0.1";

const ZONE = "America/New_York";

// alembic/versions/001, 004, 002, 003 of sourcerykit v1.0.1, verbatim but for whitespace.
const DDL = `
  CREATE TABLE IF NOT EXISTS intercepts (
      id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      agent_id        VARCHAR(255) NOT NULL,
      action_name     VARCHAR(255) NOT NULL,
      source_url      TEXT NOT NULL,
      request_payload TEXT NOT NULL DEFAULT '{}',
      raw_response    TEXT NOT NULL,
      response_hash   VARCHAR(64) NOT NULL,
      created_at      TIMESTAMP NOT NULL DEFAULT NOW()
  );
  CREATE INDEX IF NOT EXISTS ix_intercepts_agent_action ON intercepts (agent_id, action_name);
  ALTER TABLE intercepts ADD COLUMN IF NOT EXISTS call_ref UUID;
  CREATE TABLE IF NOT EXISTS trusted_endpoints (
      id UUID PRIMARY KEY DEFAULT gen_random_uuid(), org_id UUID NOT NULL, entry_type VARCHAR(50) NOT NULL DEFAULT 'endpoint',
      normalized_url TEXT NOT NULL, display_label VARCHAR(255), policy_version VARCHAR(20) DEFAULT 'v1',
      created_at TIMESTAMP DEFAULT NOW(), revoked_at TIMESTAMP, created_by VARCHAR(255));
  CREATE TABLE IF NOT EXISTS traces (
      id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      task       TEXT NOT NULL DEFAULT '',
      created_at TIMESTAMP NOT NULL DEFAULT NOW()
  );
  CREATE TABLE IF NOT EXISTS trace_intercepts (
      id               UUID PRIMARY KEY DEFAULT gen_random_uuid(),
      trace_id         UUID NOT NULL REFERENCES traces(id),
      intercept_id     UUID NOT NULL REFERENCES intercepts(id),
      query_id         UUID NOT NULL,
      verification_mode VARCHAR(50) NOT NULL,
      claimed_value    TEXT,
      outcome          VARCHAR(20),
      details          TEXT,
      created_at       TIMESTAMP NOT NULL DEFAULT NOW(),
      updated_at       TIMESTAMP DEFAULT NOW()
  );
  CREATE INDEX IF NOT EXISTS ix_trace_intercepts_trace_id ON trace_intercepts (trace_id);
  CREATE INDEX IF NOT EXISTS ix_trace_intercepts_query_id ON trace_intercepts (query_id);`;

/** insert_intercept: no id, no created_at (server defaults), RETURNING id. One transaction per row. */
async function insertIntercept(c: pg.Client, r: (typeof ROWS)[keyof typeof ROWS]): Promise<string> {
  const { rows } = await c.query(
    `INSERT INTO intercepts (agent_id, action_name, source_url, request_payload, raw_response, response_hash, call_ref) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
    [r.agent_id, r.action_name, r.source_url, r.request_payload, r.raw_response, r.response_hash, r.call_ref],
  );
  await c.query("SELECT pg_sleep(0.02)"); // the agent's next call comes later; NOW() is per transaction
  return rows[0].id;
}

/** build_handoff_payload: insert_trace(task), then per claim insert_trace_intercept with the loader's row (SELECT ... WHERE call_ref = X, first row). */
async function insertTrace(c: pg.Client, task: string, callRef: string, value: string): Promise<{ traceId: string; tiId: string; interceptId: string }> {
  const traceId = (await c.query(`INSERT INTO traces (task) VALUES ($1) RETURNING id`, [task])).rows[0].id;
  const interceptId = (await c.query(`SELECT * FROM intercepts WHERE call_ref = $1`, [callRef])).rows[0].id;
  const claimed = JSON.stringify([{ path: "$.current.temperature_2m", value, sourcerykit_ref: callRef }]);
  const tiId = (await c.query(
    `INSERT INTO trace_intercepts (trace_id, intercept_id, query_id, verification_mode, claimed_value) VALUES ($1, $2, gen_random_uuid(), 'field_extraction', $3) RETURNING id`,
    [traceId, interceptId, claimed],
  )).rows[0].id;
  return { traceId, tiId, interceptId };
}

describe.each(DIALECTS)("import sourcerykit 1.0.1's PostgreSQL into %s", (dialect) => {
  let db: Db;
  let owner: pg.Client;
  let readerUrl: string;
  const rejected: string[] = [];
  const ids: Record<string, string> = {};
  let leak: { traceId: string; tiId: string; interceptId: string };
  let clean: { traceId: string; tiId: string; interceptId: string };

  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
    const admin = inject("pgAdminUrl");
    const name = `sourcerykit_${randomBytes(5).toString("hex")}`;
    const role = `verdict_reader_${randomBytes(5).toString("hex")}`;
    const a = new pg.Client({ connectionString: admin });
    await a.connect();
    await a.query(`CREATE DATABASE "${name}"`);
    // The recorder's database runs in New York time: NOW() into TIMESTAMP columns is local time.
    await a.query(`ALTER DATABASE "${name}" SET timezone TO '${ZONE}'`);
    await a.query(`CREATE ROLE "${role}" LOGIN`);
    await a.end();
    owner = new pg.Client({ connectionString: admin.replace(/\/postgres$/, `/${name}`) });
    await owner.connect();
    await owner.query(DDL);
    for (const [k, r] of Object.entries(ROWS)) ids[k] = await insertIntercept(owner, r);
    leak = await insertTrace(owner, "What is the temperature in Oslo?", REF_LEAK, "4.2");
    // The evaluator raised on this one (KeyError on the LLM row): outcome stays NULL.
    clean = await insertTrace(owner, "What is the temperature in Bergen?", REF_CLEAN, "7.9");
    await owner.query(`UPDATE trace_intercepts SET outcome = 'PASS', details = '' WHERE id = $1`, [clean.tiId]);
    await owner.query(`GRANT SELECT ON ALL TABLES IN SCHEMA public TO "${role}"`);
    readerUrl = admin.replace(/\/\/postgres@/, `//${role}@`).replace(/\/postgres$/, `/${name}`);
    const r = await importPostgres({ url: readerUrl, source: "sk", batchSize: 3, onRejected: (x) => rejected.push(formatRejection(x)) });
    expect(r).toMatchObject({ read: 6, accepted: 6, rejected: 0 });
  });
  afterAll(async () => {
    await owner?.end();
  });

  it("reads created_at as the instant it is in the database's TimeZone, not as UTC", async () => {
    expect(rejected).toEqual([]);
    const truth = (await owner.query(`SELECT id::text, to_char((created_at AT TIME ZONE '${ZONE}') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS utc, created_at::text AS local FROM intercepts`)).rows;
    for (const t of truth) {
      const stored = await db.intercept.findFirstOrThrow({ where: { source: "sk", sourceId: t.id } });
      expect(stored.createdAt).toBe(t.utc);
      expect(stored.createdAt.slice(0, 19)).not.toBe(t.local.replace(" ", "T").slice(0, 19)); // New York is never UTC
    }
    const trace = (await owner.query(`SELECT to_char((created_at AT TIME ZONE '${ZONE}') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS utc FROM traces WHERE id = $1`, [leak.traceId])).rows[0];
    expect((await db.handoff.findFirstOrThrow({ where: { sourceId: leak.traceId } })).createdAt).toBe(trace.utc);
  });

  it("the LLM call made inside the tool's block, before its fetch, is a leak of that tool call", async () => {
    const tool = await db.intercept.findFirstOrThrow({ where: { sourceId: ids.tool } });
    for (const k of ["llmBefore", "llmAfter"]) {
      expect(await db.intercept.findFirstOrThrow({ where: { sourceId: ids[k] } })).toMatchObject({ kind: "llm_call", isLeak: true, leakToolId: tool.id, callRef: REF_LEAK });
    }
    expect(Number((await db.agentStats.findUniqueOrThrow({ where: { agentId: AGENT } })).leaks)).toBe(2);
  });

  it("each trace becomes a handoff of the intercepts' agent, its claims resting on trace_intercepts.intercept_id", async () => {
    const h = await db.handoff.findFirstOrThrow({ where: { sourceId: leak.traceId } });
    expect(h).toMatchObject({ agentId: AGENT, generation: "B", evaluatorOutcome: "NOT_EVALUATED", verdictOutcome: "CAUGHT", task: "What is the temperature in Oslo?" });
    const detail = (await getHandoffDetail(h.id, {}, getDb()))!;
    const llmBefore = await db.intercept.findFirstOrThrow({ where: { sourceId: ids.llmBefore } });
    const tool = await db.intercept.findFirstOrThrow({ where: { sourceId: ids.tool } });
    expect(leak.interceptId).toBe(ids.llmBefore); // the library's loader read the LLM row
    const c = detail.analysis.claims[0];
    expect(c).toMatchObject({ generation: "B", call_ref: REF_LEAK, claimed_value: [{ path: "$.current.temperature_2m", value: "4.2", sourcerykit_ref: REF_LEAK }] });
    expect(c.resolution).toMatchObject({ intercept_id: llmBefore.id, resolved_by: "intercept_id", tool_call_id: tool.id });
    expect(c.resolution.call_ref_rows).toHaveLength(3);
    expect(c.causes[0]).toMatchObject({ code: "shared_call_ref", tool_intercept_id: tool.id });
    expect(c.causes[0].explanation).toContain(`Checked against the tool row ${tool.id}, the claim holds.`);
    expect(detail.outcome).toBe("NOT_EVALUATED");

    const ok = await db.handoff.findFirstOrThrow({ where: { sourceId: clean.traceId } });
    expect(ok).toMatchObject({ agentId: AGENT, evaluatorOutcome: "PASS", verdictOutcome: "PASS" });
    const okEval = JSON.parse(ok.evaluation!);
    expect(okEval.per_claim).toEqual([expect.objectContaining({ result: "PASS", detail: "", trace_intercept_id: clean.tiId, intercept_id: ids.clean })]);
  });
});
