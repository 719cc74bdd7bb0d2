// Timeline query speed at scale: 1,000,000 intercepts (one agent with 100,000 of them, 90
// agents with ~10,000 each) generated inside the database, then the first page, a
// leaks_only page and a deep page of the timeline, timed on SQLite and PostgreSQL.
// `npx tsx scripts/bench-timeline.ts [rows] [--no-postgres | --only-postgres]`
import { performance } from "node:perf_hooks";
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startPostgres } from "../tests/support/postgres";
import { databaseConfig } from "../lib/db/config";
import { migrate } from "../lib/ingest/migrate";
import { getDb } from "../lib/db/client";
import { timelinePage } from "../lib/timeline/service";
import { agentSummaries } from "../lib/agents/service";
import { rebuildAgentStats } from "../lib/db/queries/agent-stats";
import { execute } from "../lib/db/sql";
import type { Dialect } from "../lib/db/config";

const ROWS = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const dialects: Dialect[] = process.argv.includes("--no-postgres") ? ["sqlite"] : process.argv.includes("--only-postgres") ? ["postgresql"] : ["sqlite", "postgresql"];
const BASE_US = 1_780_000_000_000_000;

function fillSql(dialect: Dialect): string {
  const cols = `"id", "source", "source_id", "dedupe_key", "generation", "agent_id", "action_name", "kind", "llm_provider", "source_url", "method", "host", "path",
    "request_payload", "raw_response", "response_hash", "created_at", "ts", "is_leak", "leak_tool_intercept_id", "ingested_at"`;
  const leak = dialect === "postgresql" ? `(i % 12 = 2)` : `(CASE WHEN i % 12 = 2 THEN 1 ELSE 0 END)`;
  const select = `SELECT 'b' || i, 'bench', CAST(i AS TEXT), 'k' || i, 'A',
      CASE WHEN i % 10 = 0 THEN 'bench_heavy' ELSE 'bench_agent_' || (i % 90) END,
      CASE WHEN i % 3 = 1 THEN 'unknown' ELSE 'fetch_weather' END,
      CASE WHEN i % 3 = 0 THEN 'tool_call' ELSE 'llm_call' END,
      CASE WHEN i % 3 = 0 THEN NULL ELSE 'OpenAI' END,
      'https://api.example.com/v1/x', CASE WHEN i % 3 = 0 THEN 'GET' ELSE 'POST' END, 'api.example.com', '/v1/x',
      '{"method": "GET", "url": "https://api.example.com/v1/x"}', '{"ok": true}', NULL, '2026-05-28T00:00:00.000000Z',
      ${BASE_US} + i * 1000, ${leak}, CASE WHEN i % 12 = 2 THEN 'b' || (i - 2) ELSE NULL END, 0`;
  return dialect === "postgresql"
    ? `INSERT INTO "intercepts" (${cols}) ${select} FROM generate_series(0, ${ROWS - 1}) AS n(i)`
    : `INSERT INTO "intercepts" (${cols}) WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ${ROWS - 1}) ${select} FROM n`;
}

async function time<T>(fn: () => Promise<T>, runs = 7): Promise<{ median_ms: number; result: T }> {
  let result!: T;
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  return { median_ms: Math.round(ms[Math.floor(ms.length / 2)] * 10) / 10, result };
}

async function freshDatabase(dialect: Dialect): Promise<{ url: string; stop: () => Promise<void> }> {
  if (dialect === "sqlite") return { url: `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "verdict-bench-tl-")), "b.db")}`, stop: async () => {} };
  const server = await startPostgres();
  return { url: await server.createDatabase("bench_timeline"), stop: () => server.stop() };
}

for (const dialect of dialects) {
  const { url, stop } = await freshDatabase(dialect);
  await migrate(databaseConfig({ DATABASE_URL: url }));
  process.env.DATABASE_URL = url;
  const conn = getDb();
  const t0 = performance.now();
  console.error(`[bench] ${dialect}: generating ${ROWS} rows`);
  await execute(conn.db, dialect, fillSql(dialect));
  // Rows written straight into the table: the per-agent counts ingest would keep are recomputed.
  await rebuildAgentStats({ db: conn.db, dialect });
  console.error(`[bench] ${dialect}: analyze`);
  await execute(conn.db, dialect, "ANALYZE");
  console.error(`[bench] ${dialect}: timing`);
  const loadS = Math.round((performance.now() - t0) / 100) / 10;
  const heavy = "bench_heavy";
  const first = await time(() => timelinePage(conn, { agentId: heavy, limit: 200 }));
  const first1000 = await time(() => timelinePage(conn, { agentId: heavy, limit: 1000 }));
  const leaks = await time(() => timelinePage(conn, { agentId: heavy, limit: 200, leaksOnly: true }));
  const deep = await time(() => timelinePage(conn, { agentId: heavy, limit: 200, cursor: { ts: BASE_US + (ROWS / 2) * 1000, rank: 0, id: "b" } }));
  const regular = await time(() => timelinePage(conn, { agentId: "bench_agent_7", limit: 200 }));
  const agents = await time(() => agentSummaries(conn), 3);
  console.log(
    JSON.stringify({
      dialect,
      rows: ROWS,
      load_seconds: loadS,
      first_page_200_ms: first.median_ms,
      first_page_1000_ms: first1000.median_ms,
      leaks_only_200_ms: leaks.median_ms,
      deep_page_200_ms: deep.median_ms,
      other_agent_first_page_ms: regular.median_ms,
      agents_list_ms: agents.median_ms,
      checks: { first_page_events: first.result.events.length, leaks_page_all_leaks: leaks.result.events.every((e) => "leak" in e && e.leak), next_cursor: Boolean(first.result.next_cursor), agents: agents.result.length },
    }),
  );
  await conn.db.$disconnect();
  await stop();
}
