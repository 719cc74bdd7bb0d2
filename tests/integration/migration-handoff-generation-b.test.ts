// Migration 0007_handoff_generation_b links LLM rows that share a tool call's call_ref, stored
// before ingest knew that rule, and recounts agent_stats.leaks — on SQLite and PostgreSQL.
import { describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import { migrate } from "@/lib/ingest/migrate";
import { databaseConfig } from "@/lib/db/config";
import { AGENT, interceptRecords, ROWS } from "../fixtures/sourcerykit-1.0.1";

describe.each(DIALECTS)("migration 0007 (handoff generation B) on %s", (dialect) => {
  it("links the call_ref leaks of rows stored before it and recounts the agent's leaks", async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    const { db } = await useFreshDatabase(dialect);
    expect((await ingest(jsonRequest("/api/v1/ingest", { records: interceptRecords("old") }), noParams)).status).toBe(200);
    // The state an older Verdict left: the LLM call before the fetch unlinked, one leak counted.
    const before = await db.intercept.findFirstOrThrow({ where: { sourceId: ROWS.llmBefore.id } });
    await db.$executeRawUnsafe(`UPDATE "intercepts" SET "is_leak" = ${dialect === "sqlite" ? 0 : "false"}, "leak_tool_intercept_id" = NULL WHERE "id" = '${before.id}'`);
    await db.$executeRawUnsafe(`UPDATE "agent_stats" SET "leaks" = 1`);
    await db.$executeRawUnsafe(`DELETE FROM "_verdict_migrations" WHERE "name" = '0007_handoff_generation_b'`);
    expect(await migrate(databaseConfig({ DATABASE_URL: process.env.DATABASE_URL! }))).toEqual(["0007_handoff_generation_b"]);
    const tool = await db.intercept.findFirstOrThrow({ where: { sourceId: ROWS.tool.id } });
    expect(await db.intercept.findFirstOrThrow({ where: { sourceId: ROWS.llmBefore.id } })).toMatchObject({ isLeak: true, leakToolId: tool.id });
    expect(await db.intercept.findFirstOrThrow({ where: { sourceId: ROWS.llmAfter.id } })).toMatchObject({ isLeak: true, leakToolId: tool.id });
    expect(Number((await db.agentStats.findUniqueOrThrow({ where: { agentId: AGENT } })).leaks)).toBe(2);
    delete process.env.VERDICT_API_KEY;
  });
});
