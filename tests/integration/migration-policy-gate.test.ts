// Migration 0009_policy_gate_results_and_settings on a database that already holds policy decisions counted the old way
// (blocks = invocations recorded with BLOCK): afterwards blocks are tool calls blocked, the
// LLM host list has its row, and the counts equal a recount from the rows.
import { cpSync, mkdtempSync, readdirSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DIALECTS, freshDatabase } from "../support/databases";
import { databaseConfig } from "@/lib/db/config";
import { migrate } from "@/lib/ingest/migrate";
import { getDb, type Tx } from "@/lib/db/client";
import { ingestRecords } from "@/lib/ingest/ingest";
import { computedStatsSql } from "@/lib/db/queries/agent-stats";
import { storedLlmHosts } from "@/lib/db/queries/settings";
import { execute, num, query } from "@/lib/db/sql";

/** A root whose migrations stop before 0009 (the migrator reads prisma/migrations/<dialect> under it). */
function rootBefore0009(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), "verdict-mig-"));
  for (const dialect of ["sqlite", "postgresql"]) {
    const from = path.join("prisma", "migrations", dialect);
    for (const name of readdirSync(from).filter((n) => n < "0009")) cpSync(path.join(from, name), path.join(root, "prisma", "migrations", dialect, name), { recursive: true });
  }
  return root;
}

describe.each(DIALECTS)("migration 0009 (policy gate results) on %s", (dialect) => {
  it("recounts blocks as blocked tool calls and gives the LLM host list its row", async () => {
    const url = await freshDatabase(dialect, rootBefore0009());
    process.env.DATABASE_URL = url;
    const { db } = getDb();
    // Rows as the code before 0009 stored them: three invocations of one blocked call, counted as 3 blocks.
    const T = 1_795_000_000_000_000;
    const cols = `"id", "source", "dedupe_key", "agent_id", "created_at", "ts", "shape", "tool_name", "call_key", "passed", "fail_closed", "action", "context", "callback_result", "ingested_at"`;
    for (let i = 0; i < 3; i++) {
      await execute(db as unknown as Tx, dialect, `INSERT INTO "policy_decisions" (${cols}) VALUES (?, 'default', ?, 'old_agent', '2026-11-20T00:00:00Z', ?, 'legacy', 'send', 'k1', ?, ?, 'BLOCK', '{}', 'true', 0)`, [
        `pol_${i}`, `dk${i}`, T + i * 1000, dialect === "sqlite" ? (i === 0 ? 0 : 1) : i !== 0, dialect === "sqlite" ? 0 : false,
      ]);
    }
    await execute(db as unknown as Tx, dialect, `INSERT INTO "agent_stats" ("agent_id", "policy_decisions", "blocks", "first_ts", "last_ts") VALUES ('old_agent', 3, 3, ?, ?)`, [T, T + 2000]);

    // 0009 first, then whatever came after it.
    expect((await migrate(databaseConfig({ DATABASE_URL: url })))[0]).toBe("0009_policy_gate_results_and_settings");
    const stats = await query<{ blocks: unknown }>(db as unknown as Tx, dialect, `SELECT "blocks" FROM "agent_stats" WHERE "agent_id" = 'old_agent'`);
    expect(num(stats[0].blocks)).toBe(1);
    const recount = await query<{ agent_id: string; blocks: unknown }>(db as unknown as Tx, dialect, computedStatsSql());
    expect(num(recount.find((r) => r.agent_id === "old_agent")?.blocks)).toBe(1);
    expect(await storedLlmHosts({ db, dialect })).toBe("");
    // And ingest goes on from there.
    const r = await ingestRecords([{ index: 0, value: { type: "intercept", agent_id: "a", action_name: "t", source_url: "https://x.example/", request_payload: {}, raw_response: {}, created_at: "2026-11-20T00:00:01Z" } }]);
    expect(r.accepted).toBe(1);
  });
});
