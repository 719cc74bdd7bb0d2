// One classification however a record arrives, and `verdict reclassify` when the list
// changes: a deployment that started with one LLM host adds its gateway after many rows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { jsonRequest, noParams, TEST_KEY } from "../support/http";
import { ingestRecords } from "@/lib/ingest/ingest";
import { reclassifyCommand } from "@/lib/cli/reclassify";
import { classificationProblem } from "@/lib/cli/import";
import { computedStatsSql, STAT_COLUMNS } from "@/lib/db/queries/agent-stats";
import { storedLlmHosts } from "@/lib/db/queries/settings";
import { blockMarks } from "@/lib/ingest/blocked-calls";
import { readDecisionsOfCalls } from "@/lib/db/queries/policy-blocks";
import { num, query } from "@/lib/db/sql";
import type { Db, Tx } from "@/lib/db/client";
import { flatContext, noHandler } from "../fixtures/vre-gate";

const AGENT = "gw_agent";
const env = (e: Record<string, string>) => e as unknown as NodeJS.ProcessEnv;
const GATEWAY = "https://llm-gateway.internal/v1/chat/completions";
const OLD_LLM = "https://old-llm.internal/v1/complete";
const T = Date.UTC(2026, 10, 22, 8, 0, 0);
const at = (s: number) => new Date(T + s * 1000).toISOString();
const call = (id: string, action: string, url: string, s: number) => ({
  type: "intercept", id, agent_id: AGENT, action_name: action, source_url: url, request_payload: { method: "POST" }, raw_response: { ok: true }, created_at: at(s),
});

// 120 loops of: tool GET, then the LLM answer through the gateway carrying the tool's tag
// (a leak, once the gateway is known to be an LLM host), then an untagged gateway call;
// and 5 calls to a host that was an LLM host and no longer is (with the tool's tag: leaks that must go).
const records = [
  ...Array.from({ length: 120 }, (_, i) => [
    call(`tool-${i}`, "fetch_weather", `https://api.weather.example/v1?i=${i}`, i * 10),
    call(`gw-${i}`, "fetch_weather", GATEWAY, i * 10 + 1),
    call(`gw-untagged-${i}`, "unknown", GATEWAY, i * 10 + 2),
  ]).flat(),
  ...Array.from({ length: 5 }, (_, i) => call(`old-${i}`, "fetch_weather", OLD_LLM, i * 10 + 3)),
  ...[true, false, false].map((fires, i) => ({ type: "policy_decision", agent_id: AGENT, created_at: at(5000 + i), context: flatContext("/etc/hosts"), callback_result: fires, decision: noHandler })),
];

async function stats(db: Db, dialect: "sqlite" | "postgresql") {
  const cols = ["agent_id", ...STAT_COLUMNS];
  const stored = await query<Record<string, unknown>>(db as unknown as Tx, dialect, `SELECT ${cols.map((c) => `"${c}"`).join(", ")} FROM "agent_stats" ORDER BY "agent_id"`);
  const recount = await query<Record<string, unknown>>(db as unknown as Tx, dialect, `SELECT * FROM (${computedStatsSql()}) AS c ORDER BY "agent_id"`);
  const norm = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(cols.map((c) => [c, c === "agent_id" ? r[c] : num(r[c])])));
  return { stored: norm(stored), recount: norm(recount) };
}

const kinds = async (db: Db, dialect: "sqlite" | "postgresql") =>
  Object.fromEntries(
    (await query<{ kind: string; is_leak: unknown; n: unknown }>(db as unknown as Tx, dialect,
      `SELECT "kind" || CASE WHEN "is_leak" THEN '+leak' ELSE '' END AS "kind", COUNT(*) AS "n" FROM "intercepts" GROUP BY 1`)).map((r) => [r.kind, num(r.n)]),
  );

describe.each(DIALECTS)("classification and reclassify on %s", (dialect) => {
  let db: Db;
  const saved = process.env.VERDICT_LLM_HOSTS;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    process.env.VERDICT_LLM_HOSTS = "old-llm.internal"; // the server's environment at start
    ({ db } = await useFreshDatabase(dialect));
    const res = await ingest(jsonRequest("/api/v1/ingest", { records }), noParams);
    expect(await res.json()).toMatchObject({ accepted: records.length, rejected: [] });
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
    if (saved === undefined) delete process.env.VERDICT_LLM_HOSTS;
    else process.env.VERDICT_LLM_HOSTS = saved;
  });

  it("stores the server's list with the data and classifies with it", async () => {
    expect(await storedLlmHosts({ db, dialect })).toBe("old-llm.internal");
    expect(await kinds(db, dialect)).toEqual({ tool_call: 240, untagged_call: 120, "llm_call+leak": 5 });
  });

  it("classifies an imported record with the stored list, whatever the importer's environment says, and the importer refuses a different list", async () => {
    const r = await ingestRecords([{ index: 0, value: call("import-1", "lookup", OLD_LLM, 9000) }], { env: env({ VERDICT_LLM_HOSTS: "" }) });
    expect(r.accepted).toBe(1);
    expect((await db.intercept.findFirst({ where: { sourceId: "import-1" } }))?.kind).toBe("llm_call");
    expect((await classificationProblem(env({ VERDICT_LLM_HOSTS: "llm-gateway.internal" }))).problem).toMatch(/VERDICT_LLM_HOSTS here is "llm-gateway.internal", but .* classified with "old-llm.internal"/);
    expect((await classificationProblem(env({ VERDICT_LLM_HOSTS: " OLD-llm.internal " }))).problem).toBeNull();
    expect((await classificationProblem(env({}))).problem).toBeNull();
  });

  it("reclassifies after the gateway host is added: kinds, leak links, handoff-free counts and blocked calls agree with a recount", async () => {
    const before = await stats(db, dialect);
    expect(before.stored).toEqual(before.recount);
    const out: string[] = [];
    const err: string[] = [];
    const code = await reclassifyCommand(["--llm-hosts", "llm-gateway.internal", "--batch-size", "100"], (s) => out.push(s), (s) => err.push(s));
    expect(code).toBe(0);
    expect(err[0]).toBe('LLM host list: "old-llm.internal" -> "llm-gateway.internal" (stored)');
    expect(out.join("\n")).toMatch(/Reclassified: 366 calls checked, 246 changed \(240 now llm_call, 6 now tool_call\)/);
    expect(await storedLlmHosts({ db, dialect })).toBe("llm-gateway.internal");
    // Each tagged gateway answer now leaks fetch_weather, linked to the GET just before it; the old host's calls are tools and leak nothing.
    expect(await kinds(db, dialect)).toEqual({ tool_call: 126, "llm_call+leak": 120, llm_call: 120 });
    for (const i of [0, 57, 119]) {
      const gw = await db.intercept.findFirst({ where: { sourceId: `gw-${i}` } });
      const tool = await db.intercept.findFirst({ where: { sourceId: `tool-${i}` } });
      expect(gw?.leakToolId).toBe(tool?.id);
    }
    const after = await stats(db, dialect);
    expect(after.stored).toEqual(after.recount);
    expect(after.stored.find((r) => r.agent_id === AGENT)).toMatchObject({ llm_calls: 240, tool_calls: 126, untagged_calls: 0, leaks: 120, blocks: 1, policy_decisions: 3 });
    // The blocked-call marks are those the full grouping gives.
    const decisions = await readDecisionsOfCalls({ db: db as unknown as Tx, dialect }, [...new Set((await db.policyDecision.findMany()).map((d) => d.callKey))]);
    expect(new Set(decisions.filter((d) => d.blocksCall).map((d) => d.id))).toEqual(blockMarks(decisions));
  });

  it("classifies new records with the stored list from then on, and a second run changes nothing", async () => {
    delete process.env.VERDICT_LLM_HOSTS;
    await ingest(jsonRequest("/api/v1/ingest", { records: [call("late-gw", "unknown", GATEWAY, 9999)] }), noParams);
    expect((await db.intercept.findFirst({ where: { sourceId: "late-gw" } }))?.kind).toBe("llm_call");
    const out: string[] = [];
    expect(await reclassifyCommand([], (s) => out.push(s), () => {})).toBe(0);
    expect(out[0]).toMatch(/367 calls checked, 0 changed;/);
  });
});
