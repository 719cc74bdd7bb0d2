import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { computedStatsSql } from "./agent-stats";
import { statsOfNewRows, StatsDeltas } from "../../ingest/stats";

describe("statsOfNewRows", () => {
  it("counts a batch's rows per agent, skipping filler, with first and last seen", () => {
    const d = statsOfNewRows({
      intercepts: [
        { agentId: "b", kind: "llm_call", ts: 30 },
        { agentId: "b", kind: "tool_call", ts: 10 },
        { agentId: "b", kind: "untagged_call", ts: 20 },
        { agentId: "pad", kind: "filler", ts: 1 },
      ],
      policyDecisions: [{ agentId: "a", ts: 5 }, { agentId: "a", ts: 7 }, { agentId: "a", ts: 6 }],
      handoffs: [{ agentId: "b", evaluatorOutcome: "CAUGHT", ts: 40 }, { agentId: "b", evaluatorOutcome: null, ts: 2 }],
    }).list();
    expect(d.map((x) => x.agentId)).toEqual(["a", "b"]);
    expect(d[0]).toMatchObject({ firstTs: 5, lastTs: 7, counts: { policy_decisions: 3, blocks: 0, intercepts: 0 } });
    expect(d[1]).toMatchObject({ firstTs: 2, lastTs: 40, counts: { intercepts: 3, llm_calls: 1, tool_calls: 1, untagged_calls: 1, handoffs: 2, caught: 1 } });
  });

  it("keeps bumps of older rows (no first/last) and drops agents nothing changed for", () => {
    const d = new StatsDeltas();
    d.bump("x", "leaks", 2);
    d.bump("x", "leaks", -2);
    d.bump("y", "caught", -1);
    expect(d.list()).toEqual([{ agentId: "y", counts: expect.objectContaining({ caught: -1, leaks: 0 }), firstTs: null, lastTs: null }]);
  });
});

describe("migrations 0003 and 0009", () => {
  it("backfill with the very query the rows are checked against (0009 recounts blocks as blocked tool calls)", () => {
    for (const dialect of ["sqlite", "postgresql"]) {
      const sql = readFileSync(`prisma/migrations/${dialect}/0003_agent_stats/migration.sql`, "utf8");
      const blocksThen = `SUM(CASE WHEN p."action" = 'BLOCK' THEN 1 ELSE 0 END)`;
      expect(sql).toContain(blocksThen);
      expect(sql.replace(blocksThen, `SUM(CASE WHEN p."blocks_call" THEN 1 ELSE 0 END)`)).toContain(computedStatsSql());
      const recount = readFileSync(`prisma/migrations/${dialect}/0009_policy_gate_results_and_settings/migration.sql`, "utf8");
      expect(recount).toMatch(/UPDATE "agent_stats" SET "blocks" = COALESCE\(\(\s*SELECT COUNT\(\*\) FROM "policy_decisions" p WHERE p."agent_id" = "agent_stats"."agent_id" AND p."blocks_call" = true\), 0\)/);
    }
  });
});
