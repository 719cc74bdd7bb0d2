// agent_stats is kept current by ingest; these tests hold it to what the rows say
// (computedStatsSql) after every batch of a seeded random stream that arrives out of order:
// late tool calls that create and move leak links, handoffs whose Verdict outcome changes
// when their evidence arrives, BLOCKs, filler, repeats, and concurrent requests.
import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { ingestRecords } from "@/lib/ingest/ingest";
import { computedStatsSql, rebuildAgentStats, STAT_COLUMNS } from "@/lib/db/queries/agent-stats";
import { listAgents } from "@/lib/db/queries/agents";
import { overviewCounts } from "@/lib/db/queries/overview";
import { num, query } from "@/lib/db/sql";
import type { Db } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/config";

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AGENTS = ["a0", "a1", "a2"];
const TAGS = ["t0", "t1"];

/** A stream of records of every kind, timestamps shuffled within ten minutes. */
function randomRecords(seed: number, count: number): Record<string, unknown>[] {
  const r = rng(seed);
  const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const at = () => new Date(Date.UTC(2026, 10, 20, 10, 0, 0) + Math.floor(r() * 600_000)).toISOString();
  const out: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const id = `${seed}-${n}`;
    const agent = pick(AGENTS);
    const tag = pick(TAGS);
    const roll = r();
    if (roll < 0.3) {
      out.push({ type: "intercept", id, agent_id: agent, action_name: tag, source_url: `https://tools.example/${tag}?n=${n}`, request_payload: { method: "GET" }, raw_response: { v: n % 3 }, created_at: at() });
    } else if (roll < 0.6) {
      out.push({ type: "intercept", id, agent_id: agent, action_name: r() < 0.5 ? tag : "unknown", source_url: "https://api.openai.com/v1/chat/completions", request_payload: { method: "POST" }, raw_response: { choices: [] }, created_at: at() });
    } else if (roll < 0.67) {
      out.push({ type: "intercept", id, agent_id: agent, action_name: "unknown", source_url: "https://elsewhere.example/x", created_at: at() });
    } else if (roll < 0.7) {
      out.push({ type: "intercept", id, agent_id: "__provably_preprocess_pad", action_name: "__dummy_row", source_url: "https://pad.invalid/", created_at: at() });
    } else if (roll < 0.82) {
      out.push({
        type: "policy_decision", id, created_at: at(),
        context: { tool_call: { tool_name: "send_email", call_args: [n], call_kwargs: {} }, grounding: { agent_id: agent }, triggering_edge: { source_name: "Agent", target_name: "Email", source_depth: 1, target_depth: 2 }, policy: { name: "p", metadata: {} } },
        callback_result: { passed: r() < 0.5, message: null },
        decision: { action: r() < 0.5 ? "BLOCK" : "PASS", reason: "r", confirmation: null },
      });
    } else if (roll < 0.95) {
      const evaluation = r() < 0.4 ? { outcome: pick(["PASS", "CAUGHT"]), per_claim: [], errors: [] } : undefined;
      out.push({
        type: "handoff", id, agent_id: agent, created_at: at(),
        payload: { run_id: "r", task: "t", claims: [{ action_name: tag, claimed_value: n % 3, json_path: "$.v", verification_mode: "field_extraction", request_payload: { url: `https://tools.example/${tag}` }, response_payload: {} }] },
        ...(evaluation ? { evaluation } : {}),
      });
    } else if (out.length) {
      out.push(out[Math.floor(r() * out.length)]); // a repeat
    }
  }
  return out;
}

async function statsTable(db: Db, dialect: Dialect, sql: string) {
  const rows = await query<Record<string, unknown>>(db, dialect, sql);
  return rows
    .map((row) => ({ agent_id: String(row.agent_id), ...(Object.fromEntries(STAT_COLUMNS.map((c) => [c, num(row[c])])) as Record<(typeof STAT_COLUMNS)[number], number>) }))
    .sort((a, b) => a.agent_id.localeCompare(b.agent_id));
}
const maintained = (db: Db, dialect: Dialect) => statsTable(db, dialect, `SELECT * FROM "agent_stats"`);
const computed = (db: Db, dialect: Dialect) => statsTable(db, dialect, computedStatsSql());

describe.each(DIALECTS)("agent_stats on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
  });

  it("equals the counts of the rows after every batch of an out-of-order stream", async () => {
    const records = randomRecords(7, 600);
    let changedLeaks = false;
    for (let i = 0; i < records.length; i += 40) {
      const res = await ingestRecords(records.slice(i, i + 40).map((value, index) => ({ index, value })), { db, dialect });
      expect(res.rejected).toEqual([]);
      const now = await maintained(db, dialect);
      expect(now).toEqual(await computed(db, dialect));
      changedLeaks ||= now.some((a) => a.leaks > 0);
    }
    // The stream did exercise what it is meant to: leaks, BLOCKs, CAUGHT verdicts.
    const final = await maintained(db, dialect);
    expect(changedLeaks).toBe(true);
    expect(final.some((a) => a.blocks > 0)).toBe(true);
    expect(final.some((a) => a.caught > 0)).toBe(true);
    expect(final.map((a) => a.agent_id)).toEqual(AGENTS); // filler is not an agent
  });

  it("stays exact under concurrent requests for the same agents", async () => {
    const records = randomRecords(11, 400);
    const batches = Array.from({ length: 8 }, (_, b) => records.slice(b * 50, (b + 1) * 50));
    await Promise.all(batches.map((batch) => ingestRecords(batch.map((value, index) => ({ index, value })), { db, dialect })));
    expect(await maintained(db, dialect)).toEqual(await computed(db, dialect));
  });

  it("serves the agents list and the overview from it, and rebuilds it from the rows", async () => {
    const list = await listAgents({ db, dialect });
    const expected = await computed(db, dialect);
    expect(list.map((a) => [a.agent_id, a.intercepts, a.leaks, a.blocks, a.caught])).toEqual(expected.map((a) => [a.agent_id, a.intercepts, a.leaks, a.blocks, a.caught]));
    const overview = await overviewCounts({ db, dialect });
    expect(overview.agents).toBe(AGENTS.length);
    expect(overview.leaks).toBe(expected.reduce((s, a) => s + a.leaks, 0));
    await db.$executeRawUnsafe(`UPDATE "agent_stats" SET "intercepts" = 0`);
    expect(await maintained(db, dialect)).not.toEqual(expected);
    await rebuildAgentStats({ db, dialect });
    expect(await maintained(db, dialect)).toEqual(expected);
  });
});
