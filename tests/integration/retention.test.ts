// Retention with legal hold (docs/retention.md): old records go, held ones stay — a CAUGHT
// handoff with everything it rests on, an agent or source under hold — and what is left
// stays consistent: agent_stats equals a recount, leak links follow the tool calls that are
// left, the held handoff's outcome and causes do not move, the deletion is logged with who
// and why, and ingest goes on while a large deletion runs.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as handoffDetail } from "@/app/api/v1/handoffs/[id]/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY, withParams } from "../support/http";
import { contractJson } from "../support/contract";
import { ingestRecords } from "@/lib/ingest/ingest";
import { computedStatsSql, STAT_COLUMNS } from "@/lib/db/queries/agent-stats";
import { runDeletion } from "@/lib/retention/deletion";
import { heldRecordIds, loadHeldState } from "@/lib/retention/held-records";
import { getHandoffDetail } from "@/lib/handoffs/service";
import { createLegalHold, releaseCaughtHold, releaseLegalHold } from "@/lib/retention/legal-holds";
import { agentGaps, listDeletions } from "@/lib/db/queries/deletions";
import { gapSentence } from "@/lib/records/deletion-gap";
import { retentionPass, writeStoredRetention } from "@/lib/retention/service";
import { deleteCommand } from "@/lib/cli/delete";
import { markReviewed } from "@/lib/reviews/service";
import { execute, num, query } from "@/lib/db/sql";
import type { Db, Tx } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/config";

const OPENAI = "https://api.openai.com/v1/chat/completions";
const WEATHER = "https://api.open-meteo.com/v1/forecast?latitude=59.91&longitude=10.75&current=temperature_2m";
const weather = { latitude: 59.91, current: { temperature_2m: 4.2 } };
const summary = { choices: [{ message: { role: "assistant", content: "It is 4.2 °C in Oslo." } }] };
const DAY = 86_400_000;
const ago = (days: number, s = 0) => new Date(Date.now() - days * DAY + s * 1000).toISOString();

const intercept = (id: string, agent: string, action: string, url: string, method: string, response: unknown, at: string, source = "it") => ({
  type: "intercept", id, source, agent_id: agent, action_name: action, source_url: url, request_payload: { url, method }, raw_response: response, created_at: at,
});
const handoff = (id: string, agent: string, claim: Record<string, unknown>, at: string, evaluation: unknown = null) => ({
  type: "handoff", id, source: "it", agent_id: agent, created_at: at,
  payload: {
    task: "Report the temperature in Oslo.", reasoning: "Read current.temperature_2m.",
    claims: [{ action_name: "fetch_weather", claimed_value: 4.2, verification_mode: "field_extraction", json_path: "$.current.temperature_2m", ...claim }],
    trusted_endpoint_registry: [WEATHER], handoff_contract_version: "2.0",
  },
  ...(evaluation ? { evaluation } : {}),
});
const decision = (id: string, agent: string, tool: string, at: string, action: "PASS" | "BLOCK" = "PASS") => ({
  type: "policy_decision", id, source: "it", created_at: at,
  context: { tool_call: { tool_name: tool, call_args: [id], call_kwargs: {} }, grounding: { agent_id: agent }, triggering_edge: { source_name: "Agent", target_name: "Net", source_depth: 1, target_depth: 2 }, policy: { name: "p", metadata: {} } },
  callback_result: { passed: action === "PASS", message: null },
  decision: { action, reason: "r", confirmation: null },
});

// 40 days ago: the async leak ending in a CAUGHT handoff (held), with a gate decision on the
// tool just before the tool call (held with it); older and unrelated traffic of the same agent
// (deleted); a PASS handoff of another agent (deleted); an agent under explicit hold; a
// source kept forever; a leak whose tool call goes while the LLM call stays (relinked).
const old = 40;
const records = [
  ...Array.from({ length: 30 }, (_, i) => intercept(`noise-${i}`, "fetch_and_claim", "fetch_weather", WEATHER, "GET", weather, ago(old + 5, i))),
  decision("pd-noise", "fetch_and_claim", "send_email", ago(old + 5)),
  decision("pd-gate", "fetch_and_claim", "fetch_weather", ago(old, -1)),
  intercept("1", "fetch_and_claim", "unknown", OPENAI, "POST", summary, ago(old, 0)),
  intercept("2", "fetch_and_claim", "fetch_weather", WEATHER, "GET", weather, ago(old, 1)),
  intercept("3", "fetch_and_claim", "fetch_weather", OPENAI, "POST", summary, ago(old, 2)),
  handoff("caught-1", "fetch_and_claim", { query_record_id: "3", request_payload: { url: OPENAI, method: "POST" } }, ago(old, 4),
    { outcome: "CAUGHT", per_claim: [], errors: [`handoff has endpoints missing from trusted snapshot: ${OPENAI}`] }),
  intercept("11", "scoped", "fetch_weather", WEATHER, "GET", weather, ago(old, 10)),
  intercept("12", "scoped", "llm_summarize", OPENAI, "POST", summary, ago(old, 11)),
  handoff("pass-1", "scoped", { query_record_id: "11", request_payload: { url: WEATHER, method: "GET" } }, ago(old, 12), { outcome: "PASS", per_claim: [], errors: [] }),
  ...Array.from({ length: 5 }, (_, i) => intercept(`kept-${i}`, "kept_agent", "fetch_weather", WEATHER, "GET", weather, ago(old, i))),
  intercept("r0", "relink", "lookup", WEATHER, "GET", weather, ago(old, 0), "forever-src"),
  intercept("r1", "relink", "lookup", WEATHER, "GET", weather, ago(old, 1)),
  intercept("r2", "relink", "lookup", OPENAI, "POST", summary, ago(old, 2), "forever-src"),
  intercept("u1", "unleak", "lookup", WEATHER, "GET", weather, ago(old, 1)),
  intercept("u2", "unleak", "lookup", OPENAI, "POST", summary, ago(old, 2), "forever-src"),
  intercept("fresh-1", "fetch_and_claim", "fetch_weather", WEATHER, "GET", weather, ago(1)),
];

async function stats(db: Db, dialect: Dialect) {
  const cols = ["agent_id", ...STAT_COLUMNS];
  const stored = await query<Record<string, unknown>>(db as unknown as Tx, dialect, `SELECT ${cols.map((c) => `"${c}"`).join(", ")} FROM "agent_stats" ORDER BY "agent_id"`);
  const recount = await query<Record<string, unknown>>(db as unknown as Tx, dialect, `SELECT * FROM (${computedStatsSql()}) AS c ORDER BY "agent_id"`);
  const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(cols.map((c) => [c, c === "agent_id" ? r[c] : num(r[c])])));
  return { stored: norm(stored), recount: norm(recount) };
}

const sourceIds = async (db: Db, dialect: Dialect, table: string, agent: string) =>
  (await query<{ s: string }>(db as unknown as Tx, dialect, `SELECT "source_id" AS s FROM "${table}" WHERE "agent_id" = ? ORDER BY "source_id"`, [agent])).map((r) => r.s);

describe.each(DIALECTS)("retention with legal hold on %s", (dialect) => {
  let db: Db;
  let caughtId: string;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    delete process.env.VERDICT_RETENTION_DAYS;
    ({ db } = await useFreshDatabase(dialect));
    const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
    expect(await contractJson(res, "POST /api/v1/ingest")).toMatchObject({ accepted: records.length, rejected: [] });
    caughtId = (await db.handoff.findFirstOrThrow({ where: { sourceId: "caught-1" } })).id;
    before = await contractJson(await handoffDetail(getRequest(`/api/v1/handoffs/${caughtId}`), withParams({ id: caughtId })), "GET /api/v1/handoffs/{id}");
    expect(before).toMatchObject({ evaluator_outcome: "CAUGHT", verdict_outcome: "CAUGHT" });
    const kept = await db.intercept.findFirstOrThrow({ where: { sourceId: "kept-0" } });
    await createLegalHold({ db, dialect }, { target_type: "agent", agent_id: kept.agentId, reason: "litigation 2026-17" }, "test");
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("retention off: a pass does nothing and logs nothing", async () => {
    expect(await retentionPass()).toEqual({ ran: false, why: "retention is off (no age set)" });
    expect(await listDeletions({ db, dialect })).toEqual([]);
  });

  it("deletes what is older than its source's age, keeps the CAUGHT handoff with what it rests on, the held agent and the forever source", async () => {
    expect((await stats(db, dialect)).stored.find((s) => s.agent_id === "relink")).toMatchObject({ leaks: 1 });
    expect((await stats(db, dialect)).stored.find((s) => s.agent_id === "unleak")).toMatchObject({ leaks: 1 });
    await writeStoredRetention({ db, dialect }, { default_days: 30, sources: { "forever-src": null } });
    const pass = await retentionPass();
    expect(pass.ran).toBe(true);

    // "1" (the untagged plan) is not among the rows the handoff's analysis reads: it goes.
    expect(await sourceIds(db, dialect, "intercepts", "fetch_and_claim")).toEqual(["2", "3", "fresh-1"]);
    expect(await sourceIds(db, dialect, "policy_decisions", "fetch_and_claim")).toEqual(["pd-gate"]);
    expect(await sourceIds(db, dialect, "handoffs", "fetch_and_claim")).toEqual(["caught-1"]);
    expect(await sourceIds(db, dialect, "intercepts", "scoped")).toEqual([]);
    expect(await sourceIds(db, dialect, "handoffs", "scoped")).toEqual([]);
    expect(await sourceIds(db, dialect, "intercepts", "kept_agent")).toHaveLength(5);
    expect(await sourceIds(db, dialect, "intercepts", "relink")).toEqual(["r0", "r2"]);

    // The held handoff reads exactly as before: outcome, causes, the rows it names.
    const after = await contractJson(await handoffDetail(getRequest(`/api/v1/handoffs/${caughtId}`), withParams({ id: caughtId })), "GET /api/v1/handoffs/{id}");
    expect(after.verdict_outcome).toBe("CAUGHT");
    expect(after.analysis).toEqual((before as { analysis: unknown }).analysis);
    expect(after.intercepts).toEqual((before as { intercepts: unknown }).intercepts);

    // The LLM call whose tool call went now leaks the older tool call that is left.
    const r0 = await db.intercept.findFirstOrThrow({ where: { sourceId: "r0" } });
    const r2 = await db.intercept.findFirstOrThrow({ where: { sourceId: "r2" } });
    expect(r2).toMatchObject({ isLeak: true, leakToolId: r0.id });
    // The one whose only tool call went is no longer a leak (and the agent's count says so).
    expect(await db.intercept.findFirstOrThrow({ where: { sourceId: "u2" } })).toMatchObject({ isLeak: false, leakToolId: null });

    const s = await stats(db, dialect);
    expect(s.stored).toEqual(s.recount);
    expect(s.stored.map((r) => r.agent_id)).not.toContain("scoped"); // nothing left: no row, as a recount

    const [log] = await listDeletions({ db, dialect });
    expect(log).toMatchObject({ actor: "retention", status: "done", counts: { intercepts: 35, policy_decisions: 1, handoffs: 1 } });
    const stones = await query<{ n: unknown }>(db as unknown as Tx, dialect, `SELECT COUNT(*) AS n FROM "tombstones" WHERE "deletion_id" = ? AND "actor" = 'retention'`, [log.id]);
    expect(num(stones[0].n)).toBe(37);
    expect(log.reason).toBe("retention (default: 30 days; forever-src: keep forever)");
    expect(log.held).toBe(5 + 2 + 1 + 1); // the held agent; intercepts 2 and 3, pd-gate and the handoff
    const [gap] = await agentGaps({ db, dialect }, "fetch_and_claim");
    expect(gapSentence(gap)).toBe(`32 records deleted by retention on ${new Date().toISOString().slice(0, 10)}`);
  });

  it("a second pass finds nothing due and leaves no row in the log", async () => {
    const pass = await retentionPass();
    expect(pass).toMatchObject({ ran: true, result: { counts: { intercepts: 0, policy_decisions: 0, handoffs: 0 } } });
    expect(await listDeletions({ db, dialect })).toHaveLength(1);
  });

  it("released holds: the CAUGHT handoff and its evidence go at the next pass; the held agent too; history is kept", async () => {
    const release = await releaseCaughtHold({ db, dialect }, caughtId, "reviewer@example.com", "closed incident 42");
    expect(release).toMatchObject({ automatic: true, released_by: "reviewer@example.com", release_reason: "closed incident 42" });
    await expect(releaseCaughtHold({ db, dialect }, caughtId, "x", "again")).rejects.toThrow(/released already/);
    const [agentHold] = (await query<{ id: string }>(db as unknown as Tx, dialect, `SELECT "id" FROM "legal_holds" WHERE "target_type" = 'agent'`));
    await releaseLegalHold({ db, dialect }, agentHold.id, "legal@example.com", "case closed");
    await expect(releaseLegalHold({ db, dialect }, agentHold.id, "x", "again")).rejects.toThrow(/released already/);

    await retentionPass();
    expect(await sourceIds(db, dialect, "intercepts", "fetch_and_claim")).toEqual(["fresh-1"]);
    expect(await sourceIds(db, dialect, "handoffs", "fetch_and_claim")).toEqual([]);
    expect(await sourceIds(db, dialect, "policy_decisions", "fetch_and_claim")).toEqual([]);
    expect(await sourceIds(db, dialect, "intercepts", "kept_agent")).toEqual([]);
    const s = await stats(db, dialect);
    expect(s.stored).toEqual(s.recount);
    expect(num((await query<{ n: unknown }>(db as unknown as Tx, dialect, `SELECT COUNT(*) AS n FROM "legal_holds"`))[0].n)).toBe(2);
  });

  it("`verdict delete --agent` asks first, deletes all but held records, and logs cli:<user> with the reason", async () => {
    const recent = [
      intercept("d1", "subject", "lookup", WEATHER, "GET", weather, ago(1)),
      intercept("d2", "subject", "lookup", OPENAI, "POST", summary, ago(1, 1)),
      intercept("d3", "subject", "lookup", WEATHER, "GET", weather, ago(1, 2)),
      decision("d-pd", "subject", "lookup", ago(1, 3), "BLOCK"),
    ];
    expect((await ingestRecords(recent.map((value, index) => ({ index, value })))).accepted).toBe(4);
    const d3 = await db.intercept.findFirstOrThrow({ where: { sourceId: "d3" } });
    // As the chain's ingest writes them (t19-chain): each record's hash and place in its batch.
    for (const t of ["intercepts", "policy_decisions"]) {
      await execute(db as unknown as Tx, dialect, `UPDATE "${t}" SET "record_hash" = 'h-' || "id", "batch_id" = 'b-subject', "batch_pos" = 7 WHERE "agent_id" = 'subject'`);
    }
    await createLegalHold({ db, dialect }, { target_type: "record", record_table: "intercepts", record_id: d3.id, reason: "exhibit 7" }, "test");
    const out: string[] = [];
    const err: string[] = [];
    expect(await deleteCommand(["--agent", "subject", "--reason", "GDPR art. 17 request #9"], { out: (s) => out.push(s), err: (s) => err.push(s), confirm: async () => false })).toBe(1);
    expect(await sourceIds(db, dialect, "intercepts", "subject")).toHaveLength(3);
    expect(await deleteCommand(["--agent", "subject"], { out: (s) => out.push(s), err: (s) => err.push(s) })).toBe(2);
    expect(err.join("\n")).toMatch(/--reason is required/);
    expect(await deleteCommand(["--agent", "subject", "--reason", "GDPR art. 17 request #9", "--yes"], { out: (s) => out.push(s), err: (s) => err.push(s), user: "dana" })).toBe(0);
    expect(out.at(-1)).toMatch(/^3 records deleted by cli:dana on .* \(2 intercepts, 1 policy decisions, 0 handoffs\); 1 kept on legal hold/);
    expect(await sourceIds(db, dialect, "intercepts", "subject")).toEqual(["d3"]);
    const [log] = await listDeletions({ db, dialect });
    expect(log).toMatchObject({ actor: "cli:dana", reason: "GDPR art. 17 request #9", scope: { kind: "agent", agent_id: "subject" }, counts: { intercepts: 2, policy_decisions: 1 }, held: 1 });
    // Every deleted record left a tombstone with its hash and place in the chain; the held one did not.
    const stones = await query<Record<string, unknown>>(db as unknown as Tx, dialect,
      `SELECT "record_table", "record_id", "record_hash", "batch_id", "batch_pos", "reason", "actor" FROM "tombstones" WHERE "deletion_id" = ? ORDER BY "record_table", "record_id"`, [log.id]);
    expect(stones).toHaveLength(3);
    for (const t of stones) {
      expect(t).toMatchObject({ record_hash: `h-${t.record_id}`, batch_id: "b-subject", reason: "GDPR art. 17 request #9", actor: "cli:dana" });
      expect(num(t.batch_pos)).toBe(7);
    }
    expect(stones.map((t) => t.record_id)).not.toContain(d3.id);
    expect(stones.map((t) => t.record_table).sort()).toEqual(["intercepts", "intercepts", "policy_decisions"]);
    const s = await stats(db, dialect);
    expect(s.stored).toEqual(s.recount);
  });
});

/** A mixed stream (the agent-stats suite's kind): leaks, late tool calls, BLOCK chains, handoffs. */
function randomStream(seed: number, count: number, day: number): Record<string, unknown>[] {
  let a = seed >>> 0;
  const r = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
  const at = () => new Date(Date.now() - day * DAY + Math.floor(r() * 600_000)).toISOString();
  const out: Record<string, unknown>[] = [];
  for (let n = 0; n < count; n++) {
    const id = `${seed}-${n}`;
    const agent = pick(["a0", "a1"]);
    const tag = pick(["t0", "t1"]);
    const roll = r();
    if (roll < 0.35) out.push(intercept(id, agent, tag, `https://tools.example/${tag}?n=${n}`, "GET", { v: n % 3 }, at(), pick(["s1", "s2"])));
    else if (roll < 0.7) out.push(intercept(id, agent, r() < 0.6 ? tag : "unknown", OPENAI, "POST", summary, at(), pick(["s1", "s2"])));
    else if (roll < 0.85) out.push({ ...decision(id, agent, "send_email", at(), r() < 0.5 ? "BLOCK" : "PASS"), context: { tool_call: { tool_name: "send_email", call_args: [n % 4], call_kwargs: {} }, grounding: { agent_id: agent }, triggering_edge: { source_name: "Agent", target_name: pick(["A", "B"]), source_depth: 1, target_depth: 2 }, policy: { name: "p", metadata: {} } } });
    else out.push({ ...handoff(id, agent, { action_name: tag, json_path: "$.v", claimed_value: n % 3, request_payload: { url: `https://tools.example/${tag}` } }, at()), ...(r() < 0.3 ? { evaluation: { outcome: "CAUGHT", per_claim: [], errors: [] } } : {}) });
  }
  return out;
}

describe.each(DIALECTS)("deletion keeps counts, links and marks exact on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
  });

  it("a leak a reviewer marked is held with the tool call it leaks, by a data-subject deletion too", async () => {
    const recent = [
      intercept("v1", "reviewed", "lookup", WEATHER, "GET", weather, ago(2)),
      intercept("v2", "reviewed", "lookup", OPENAI, "POST", summary, ago(2, 1)),
      intercept("v3", "reviewed", "other", WEATHER, "GET", weather, ago(2, 2)),
    ];
    expect((await ingestRecords(recent.map((value, index) => ({ index, value })))).accepted).toBe(3);
    const leak = await db.intercept.findFirstOrThrow({ where: { sourceId: "v2" } });
    expect(leak.isLeak).toBe(true);
    await markReviewed({ subject_type: "intercept", ids: [leak.id], state: "confirmed", note: "real leak, fixing the scope" }, "test");
    const out: string[] = [];
    expect(await deleteCommand(["--agent", "reviewed", "--reason", "data-subject request #12", "--yes"], { out: (s) => out.push(s), err: () => {}, user: "dana" })).toBe(0);
    // The reviewed leak and the tool call it points at stay; the unrelated call goes.
    expect(await sourceIds(db, dialect, "intercepts", "reviewed")).toEqual(["v1", "v2"]);
    expect(out.at(-1)).toMatch(/^1 record deleted by cli:dana .*; 2 kept on legal hold/);
    expect((await stats(db, dialect)).stored).toEqual((await stats(db, dialect)).recount);
  });

  it("a cut-off through the middle of a mixed stream, then a source deletion: agent_stats equals a recount after each", async () => {
    const stream = randomStream(7, 900, 10);
    for (let i = 0; i < stream.length; i += 150) {
      const r = await ingestRecords(stream.slice(i, i + 150).map((value, index) => ({ index, value })));
      expect(r.rejected).toEqual([]);
    }
    const [mid] = await query<{ ts: unknown }>(db as unknown as Tx, dialect, `SELECT "ts" FROM "intercepts" ORDER BY "ts" LIMIT 1 OFFSET 300`);
    const r = await runDeletion({ db, dialect }, { scope: { kind: "retention", cutoffs: { default: num(mid.ts), sources: {} } }, actor: "retention", reason: "test cut-off", batchSize: 37 });
    expect(r.counts.intercepts).toBeGreaterThan(100);
    let s = await stats(db, dialect);
    expect(s.stored).toEqual(s.recount);
    // Leak links are what a fresh link of the rows left would give.
    const leaks = await query<{ id: string; l: string | null }>(db as unknown as Tx, dialect, `SELECT "id", "leak_tool_intercept_id" AS l FROM "intercepts" WHERE "kind" = 'llm_call' ORDER BY "id"`);
    const dangling = await query(db as unknown as Tx, dialect, `SELECT i."id" FROM "intercepts" i LEFT JOIN "intercepts" t ON t."id" = i."leak_tool_intercept_id" WHERE i."leak_tool_intercept_id" IS NOT NULL AND t."id" IS NULL`);
    expect(dangling).toEqual([]);
    expect(leaks.length).toBeGreaterThan(0);
    // Verdict's stored outcome of every handoff left is what its analysis now says.
    const handoffsLeft = await query<{ id: string; v: string | null }>(db as unknown as Tx, dialect, `SELECT "id", "verdict_outcome" AS v FROM "handoffs"`);
    expect(handoffsLeft.length).toBeGreaterThan(10);
    for (const h of handoffsLeft) expect((await getHandoffDetail(h.id, {}, { db, dialect }))!.analysis.outcome, h.id).toBe(h.v);

    const bySource = await runDeletion({ db, dialect }, { scope: { kind: "source", source: "s1" }, actor: "cli:test", reason: "source gone", batchSize: 50 });
    expect(bySource.counts.intercepts).toBeGreaterThan(0);
    // What is left of the source is exactly what CAUGHT handoffs rest on.
    const left = await query<{ id: string; agent_id: string; source: string }>(db as unknown as Tx, dialect, `SELECT "id", "agent_id", "source" FROM "intercepts" WHERE "source" = 's1'`);
    const held = heldRecordIds(await loadHeldState({ db: db as unknown as Tx, dialect }), "intercepts", left);
    expect(left.length).toBeLessThan(bySource.counts.intercepts);
    expect(left.filter((r) => !held.has(r.id))).toEqual([]);
    expect(bySource.held).toBeGreaterThanOrEqual(left.length);
    s = await stats(db, dialect);
    expect(s.stored).toEqual(s.recount);
  });

  it("a blocked tool call whose first gate invocation goes: the one left carries the block, and the count stays exact", async () => {
    const gate = (id: string, target: string, at: string) => ({
      ...decision(id, "gated", "send_email", at, "BLOCK"),
      context: { tool_call: { tool_name: "send_email", call_args: ["cfo"], call_kwargs: {} }, grounding: { agent_id: "gated" }, triggering_edge: { source_name: "Agent", target_name: target, source_depth: 1, target_depth: 2 }, policy: { name: "p", metadata: {} } },
    });
    expect((await ingestRecords([gate("g1", "Email", ago(3, 0)), gate("g2", "External", ago(3, 1))].map((value, index) => ({ index, value })))).rejected).toEqual([]);
    const marks = async () => Object.fromEntries((await query<{ s: string; b: unknown }>(db as unknown as Tx, dialect, `SELECT "source_id" AS s, "blocks_call" AS b FROM "policy_decisions" WHERE "agent_id" = 'gated'`)).map((r) => [r.s, num(r.b) === 1 || r.b === true]));
    expect(await marks()).toEqual({ g1: true, g2: false });
    const g1 = await db.policyDecision.findFirstOrThrow({ where: { sourceId: "g1" } });
    await runDeletion({ db, dialect }, { scope: { kind: "retention", cutoffs: { default: Number(g1.ts) + 500_000, sources: {} } }, actor: "retention", reason: "split", batchSize: 10 });
    expect(await marks()).toEqual({ g2: true });
    const s = await stats(db, dialect);
    expect(s.stored.find((r) => r.agent_id === "gated")).toMatchObject({ policy_decisions: 1, blocks: 1 });
    expect(s.stored).toEqual(s.recount);
  });

  it("a handoff whose evidence goes is judged again: Verdict's outcome and the CAUGHT count follow", async () => {
    const recs = [
      intercept("t-old", "reeval", "fetch_weather", WEATHER, "GET", { current: { temperature_2m: 9.9 } }, ago(3, 0), "keep"),
      intercept("t-new", "reeval", "fetch_weather", WEATHER, "GET", weather, ago(3, 1), "gone"),
      { ...handoff("h-re", "reeval", {}, ago(3, 2)), source: "keep" },
    ];
    expect((await ingestRecords(recs.map((value, index) => ({ index, value })))).rejected).toEqual([]);
    const h = await db.handoff.findFirstOrThrow({ where: { sourceId: "h-re" } });
    expect(h.verdictOutcome).toBe("PASS");
    await runDeletion({ db, dialect }, { scope: { kind: "source", source: "gone" }, actor: "cli:test", reason: "source gone" });
    expect((await db.handoff.findFirstOrThrow({ where: { sourceId: "h-re" } })).verdictOutcome).toBe("CAUGHT");
    expect((await getHandoffDetail(h.id, {}, { db, dialect }))!.analysis.outcome).toBe("CAUGHT");
    const s = await stats(db, dialect);
    expect(s.stored.find((r) => r.agent_id === "reeval")).toMatchObject({ caught: 1 });
    expect(s.stored).toEqual(s.recount);
  });

  it("a hold placed while a deletion runs stops it at the next batch", async () => {
    const rows = Array.from({ length: 1000 }, (_, n) => intercept(`lh-${n}`, "late_hold", "t0", `https://tools.example/l?n=${n}`, "GET", { n }, ago(5, n / 10)));
    expect((await ingestRecords(rows.map((value, index) => ({ index, value })))).rejected).toEqual([]);
    let batches = 0;
    const r = await runDeletion({ db, dialect }, {
      scope: { kind: "agent", agent_id: "late_hold" }, actor: "cli:test", reason: "erasure", batchSize: 100,
      onBatch: async () => {
        if (++batches === 2) await createLegalHold({ db, dialect }, { target_type: "agent", agent_id: "late_hold", reason: "court order" }, "legal");
      },
    });
    expect(r.counts.intercepts).toBe(200);
    expect(r.held).toBe(800);
    expect(await sourceIds(db, dialect, "intercepts", "late_hold")).toHaveLength(800);
    const s = await stats(db, dialect);
    expect(s.stored).toEqual(s.recount);
  });

  it("ingest goes on while a large deletion runs (batches, not one long transaction)", async () => {
    const bulk = Array.from({ length: 6000 }, (_, n) => intercept(`bulk-${n}`, "bulk", n % 2 ? "t0" : "unknown", `https://tools.example/b?n=${n}`, "GET", { n }, ago(20, n / 100)));
    for (let i = 0; i < bulk.length; i += 1000) expect((await ingestRecords(bulk.slice(i, i + 1000).map((value, index) => ({ index, value })))).rejected).toEqual([]);
    let batches = 0;
    let ingestDoneAtBatch = -1;
    let ingesting: Promise<unknown> | undefined;
    const r = await runDeletion({ db, dialect }, {
      scope: { kind: "agent", agent_id: "bulk" }, actor: "cli:test", reason: "bulk", batchSize: 500,
      onBatch: () => {
        batches++;
        if (batches === 1) {
          // Another agent, and the very agent being deleted (on PostgreSQL it waits for the batch in flight only).
          ingesting = ingestRecords([
            { index: 0, value: intercept("live-1", "live", "t0", "https://tools.example/live", "GET", { ok: 1 }, ago(0)) },
            { index: 1, value: intercept("live-2", "bulk", "t0", "https://tools.example/live", "GET", { ok: 2 }, ago(30)) },
          ]).then((res) => {
            expect(res.accepted).toBe(2);
            ingestDoneAtBatch = batches;
          });
        }
      },
    });
    await ingesting;
    // live-2 arrived behind the deletion's cursor (30 days ago, the rest 20): the next sweep took it too.
    expect(r.counts.intercepts).toBe(6001);
    expect(await sourceIds(db, dialect, "intercepts", "bulk")).toEqual([]);
    expect(batches).toBe(13);
    // The ingest request finished while the deletion still had batches to go.
    expect(ingestDoneAtBatch).toBeGreaterThan(0);
    expect(ingestDoneAtBatch).toBeLessThan(batches);
    const s = await stats(db, dialect);
    expect(s.stored).toEqual(s.recount);
  });
});

describe.each(DIALECTS)("legal holds, retention and deletion log API on %s", (dialect) => {
  let db: Db;
  const call = <P,>(handler: (req: Request, ctx: { params: Promise<P> }) => Promise<Response>, req: Request, params: P = {} as P) => handler(req, withParams(params));
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    await ingest(jsonRequest("/api/v1/ingest", { records: [intercept("x1", "api_agent", "lookup", WEATHER, "GET", weather, ago(50))] }), noParams);
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
    delete process.env.VERDICT_RETENTION_DAYS;
  });

  it("holds: placed with the write key (named in the history), listed, released once, kept as history; bad input is a 400 naming the field", async () => {
    const holds = await import("@/app/api/v1/legal-holds/route");
    const release = await import("@/app/api/v1/legal-holds/[id]/release/route");
    const releaseCaught = await import("@/app/api/v1/legal-holds/release-caught/route");
    expect((await call(holds.POST, jsonRequest("/api/v1/legal-holds", { target_type: "agent", agent_id: "api_agent", reason: "r" }, { key: null }))).status).toBe(401);
    const bad = await call(holds.POST, jsonRequest("/api/v1/legal-holds", { target_type: "record", record_table: "users", record_id: "1", reason: "r" }));
    expect(bad.status).toBe(400);
    expect((await contractJson(bad, "POST /api/v1/legal-holds")).error.details).toEqual(expect.arrayContaining([expect.objectContaining({ path: "record_table" })]));
    const missing = await call(holds.POST, jsonRequest("/api/v1/legal-holds", { target_type: "record", record_table: "handoffs", record_id: "nope", reason: "r" }));
    expect(missing.status).toBe(404);
    const made = await call(holds.POST, jsonRequest("/api/v1/legal-holds", { target_type: "agent", agent_id: "api_agent", reason: "subpoena 12" }));
    expect(made.status).toBe(201);
    const hold = await contractJson(made, "POST /api/v1/legal-holds");
    expect(hold).toMatchObject({ target_type: "agent", agent_id: "api_agent", reason: "subpoena 12", created_by: "API key VERDICT_API_KEY", released_at: null });
    // Held: the data-subject deletion keeps the agent's record.
    const r = await runDeletion({ db, dialect }, { scope: { kind: "agent", agent_id: "api_agent" }, actor: "cli:test", reason: "request" });
    expect(r).toMatchObject({ counts: { intercepts: 0 }, held: 1 });
    expect((await contractJson(await call(holds.GET, getRequest("/api/v1/legal-holds", TEST_KEY)), "GET /api/v1/legal-holds")).legal_holds).toHaveLength(1);
    expect((await call(release.POST, jsonRequest(`/api/v1/legal-holds/${hold.id}/release`, {}), { id: hold.id })).status).toBe(400);
    const released = await call(release.POST, jsonRequest(`/api/v1/legal-holds/${hold.id}/release`, { reason: "case closed" }), { id: hold.id });
    expect(released.status).toBe(200);
    expect(await contractJson(released, "POST /api/v1/legal-holds/{id}/release")).toMatchObject({ released_by: "API key VERDICT_API_KEY", release_reason: "case closed" });
    const again = await call(release.POST, jsonRequest(`/api/v1/legal-holds/${hold.id}/release`, { reason: "again" }), { id: hold.id });
    expect(again.status).toBe(409);
    expect((await call(release.POST, jsonRequest(`/api/v1/legal-holds/nope/release`, { reason: "x" }), { id: "nope" })).status).toBe(404);
    expect((await (await call(holds.GET, getRequest("/api/v1/legal-holds", TEST_KEY))).json()).legal_holds).toHaveLength(0);
    expect((await contractJson(await call(holds.GET, getRequest("/api/v1/legal-holds?include_released=true", TEST_KEY)), "GET /api/v1/legal-holds")).legal_holds).toHaveLength(1);
    const notCaught = await call(releaseCaught.POST, jsonRequest("/api/v1/legal-holds/release-caught", { handoff_id: "nope", reason: "x" }));
    expect(notCaught.status).toBe(404);
  });

  it("retention policy: stored, read back with the environment's default taking precedence; the deletion log lists deletions", async () => {
    const retention = await import("@/app/api/v1/retention/route");
    const deletions = await import("@/app/api/v1/deletions/route");
    const bad = await call(retention.POST, jsonRequest("/api/v1/retention", { default_days: 0, sources: {} }));
    expect(bad.status).toBe(400);
    expect((await contractJson(bad, "POST /api/v1/retention")).error.details[0].path).toBe("default_days");
    expect((await call(retention.POST, jsonRequest("/api/v1/retention", { default_days: 30, sources: { it: 7 } }, { key: null }))).status).toBe(401);
    const stored = await call(retention.POST, jsonRequest("/api/v1/retention", { default_days: 30, sources: { it: 7, archive: null } }));
    expect(await contractJson(stored, "POST /api/v1/retention")).toMatchObject({ default_days: 30, default_from: "settings", sources: { it: 7, archive: null } });
    process.env.VERDICT_RETENTION_DAYS = "400";
    expect(await contractJson(await call(retention.GET, getRequest("/api/v1/retention", TEST_KEY)), "GET /api/v1/retention")).toMatchObject({ default_days: 400, default_from: "env", stored_default_days: 30 });
    delete process.env.VERDICT_RETENTION_DAYS;
    // Source "it" is kept 7 days: the 50-day-old record goes (its agent's hold was released above).
    expect(await retentionPass()).toMatchObject({ ran: true, result: { counts: { intercepts: 1 } } });
    const log = (await contractJson(await call(deletions.GET, getRequest("/api/v1/deletions", TEST_KEY)), "GET /api/v1/deletions")).deletions;
    expect(log[0]).toMatchObject({ actor: "retention", status: "done", counts: { intercepts: 1, policy_decisions: 0, handoffs: 0 } });
    expect(log[0].reason).toBe("retention (default: 30 days; it: 7 days; archive: keep forever)");
  });

  it("releases a CAUGHT handoff's automatic hold through the API: 201 with the hold row the release wrote", async () => {
    const releaseCaught = await import("@/app/api/v1/legal-holds/release-caught/route");
    const stored = await ingest(jsonRequest("/api/v1/ingest", { records: [handoff("api-caught", "api_agent", { request_payload: { url: WEATHER, method: "GET" } }, ago(1), { outcome: "CAUGHT", per_claim: [], errors: [] })] }), noParams);
    expect(stored.status).toBe(200);
    const id = (await db.handoff.findFirstOrThrow({ where: { sourceId: "api-caught" } })).id;
    const res = await call(releaseCaught.POST, jsonRequest("/api/v1/legal-holds/release-caught", { handoff_id: id, reason: "closed incident 7" }));
    expect(res.status).toBe(201);
    expect(await contractJson(res, "POST /api/v1/legal-holds/release-caught")).toMatchObject({
      target_type: "record", record_table: "handoffs", record_id: id, automatic: true, released_by: "API key VERDICT_API_KEY", release_reason: "closed incident 7",
    });
  });
});
