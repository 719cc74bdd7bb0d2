// The policy gate's records exactly as its releases produce them (tests/fixtures/vre-gate.ts),
// through POST /api/v1/ingest, read back from the policy API, the agents list and the overview.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as listDecisions } from "@/app/api/v1/policy-decisions/route";
import { GET as listAgents } from "@/app/api/v1/agents/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY } from "../support/http";
import { contractJson } from "../support/contract";
import type { Db } from "@/lib/db/client";
import { getDb } from "@/lib/db/client";
import type { PolicyDecisionsResponse } from "@/lib/api-contract/policy";
import { overviewCounts } from "@/lib/db/queries/overview";
import { computedStatsSql } from "@/lib/db/queries/agent-stats";
import { query, num } from "@/lib/db/sql";
import { composedContext, flatContext, newerBlock, noHandler, pending, WALK } from "../fixtures/vre-gate";

const T = Date.parse("2026-11-21T10:00:00Z");
const at = (ms: number, us = 0) => new Date(T + ms).toISOString().replace("Z", `${String(us).padStart(3, "0")}Z`);
const OLD = "vre_020_agent";
const NEW = "vre_newer_agent";

// Evaluation 1: the three callbacks of one write_file call, the first two recorded at the
// same instant (their order is the order of the records in the request), the first fires:
// the gate says PENDING and the guard, with no handler, blocks. (A record without an id is
// identified by its content, so two identical invocations need distinct instants.)
const blocked = [true, false, false].map((fires, i) => ({
  type: "policy_decision",
  agent_id: OLD,
  created_at: at(0, i < 2 ? 0 : 1),
  context: flatContext("/etc/hosts"),
  callback_result: fires,
  decision: noHandler,
}));
// Evaluation 2: another call; the gate's own PENDING result is what the recorder kept.
const pendingEval = [false, false, true].map((fires, i) => ({
  type: "policy_decision",
  agent_id: OLD,
  created_at: at(10_000 + i),
  context: flatContext("/home/me/notes.txt"),
  callback_result: fires,
  decision: pending,
}));
// Evaluation 3: the second callback raises; the exception escapes the guard, no outcome.
const raising = [
  { type: "policy_decision", agent_id: OLD, created_at: at(20_000), context: flatContext("/tmp/x"), callback_result: false },
  { type: "policy_decision", agent_id: OLD, created_at: at(20_001), context: flatContext("/tmp/x"), callback_error: "KeyError('size')" },
];
// Evaluation 4: the same call as evaluation 1, a minute later, passing: a second evaluation, not a fourth..sixth invocation.
const passing = [false, false, false].map((fires, i) => ({
  type: "policy_decision",
  agent_id: OLD,
  created_at: at(60_000 + i),
  context: flatContext("/etc/hosts"),
  callback_result: fires,
  decision: { action: "PASS", reason: null, confirmation_message: null },
}));
// Evaluation 5 (same call as 1 and 4, within the gap of 4): two more evaluations' worth in
// one burst: the walk makes three callbacks, so six records are two evaluations.
const burst = [true, false, false, true, false, false].map((fires, i) => ({
  type: "policy_decision",
  agent_id: OLD,
  created_at: at(60_010 + i),
  context: flatContext("/etc/hosts"),
  callback_result: fires,
  decision: noHandler,
}));

// Newer releases: composed context, {passed, message}, and PolicyResult with violations.
const newer = [
  { policy: "email_ok", edge: { source: "agent", target: "email", sourceDepth: 1, targetDepth: 2 }, result: { passed: true, message: null } },
  { policy: "no_external", edge: { source: "report", target: "email", sourceDepth: 2, targetDepth: 2 }, result: newerBlock.violations[0].callback_result },
].map((e, i) => ({
  type: "policy_decision",
  agent_id: NEW,
  created_at: at(30_000 + i),
  context: composedContext(e.policy, e.edge),
  callback_result: e.result,
  decision: newerBlock,
}));
const handlerRaised = {
  type: "policy_decision",
  agent_id: NEW,
  created_at: at(40_000),
  context: { ...composedContext("needs_ok", { source: "report", target: "email", sourceDepth: 2, targetDepth: 2 }), tool_call: { tool_name: "send_report", call_args: ["q4"], call_kwargs: {} } },
  callback_result: { passed: false, message: null },
  decision: { action: "BLOCK", reason: "confirmation handler raised RuntimeError('tty closed')", violations: [{ policy: { name: "needs_ok", requires_confirmation: true }, callback_result: { passed: false, message: null } }] },
};
const failClosed = {
  ...handlerRaised,
  created_at: at(50_000),
  context: { ...handlerRaised.context, tool_call: { tool_name: "send_report", call_args: ["q5"], call_kwargs: {} } },
  callback_result: { passed: false, message: "Policy 'needs_ok' on report->email @ D2 CAPABILITIES: callback raised ValueError('bad'); firing conservatively." },
  decision: { action: "BLOCK", reason: "Confirmation required, no handler", violations: [] },
};

const get = async (qs: string) => {
  const res = await listDecisions(getRequest(`/api/v1/policy-decisions${qs}`), noParams);
  expect(res.status).toBe(200);
  return (await contractJson(res, "GET /api/v1/policy-decisions")) as PolicyDecisionsResponse;
};

describe.each(DIALECTS)("the gate's releases, as written, on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    // Two requests, so the second's blocked evaluations are counted against stored rows.
    const first = await ingest(jsonRequest("/api/v1/ingest", { records: [...blocked, ...pendingEval, ...raising, ...newer, handlerRaised, failClosed] }), noParams);
    expect(await first.json()).toEqual({ accepted: 12, duplicates: 0, rejected: [] });
    const second = await ingest(jsonRequest("/api/v1/ingest", { records: [...passing, ...burst] }), noParams);
    expect(await second.json()).toEqual({ accepted: 9, duplicates: 0, rejected: [] });
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("reads the older bool in the library's polarity (true = the policy fires) and recovers each edge from the walk, marked reconstructed", async () => {
    const body = await get(`?agent_id=${OLD}&limit=1000`);
    const first = body.groups.find((g) => g.tool_call.call_args[0] === "/etc/hosts" && g.first_at === "2026-11-21T10:00:00.000000Z")!;
    expect(first.invocations.map((d) => [d.callback_result.returned, d.callback_result.value, d.callback_result.fires])).toEqual([
      ["bool", true, true],
      ["bool", false, false],
      ["bool", false, false],
    ]);
    // Same created_at, one request: the record order says which is which.
    expect(first.invocations.map((d) => [d.edge, d.reconstructed?.policy?.name, d.reconstructed?.edge?.source_name, d.reconstructed?.edge?.target_name, d.reconstructed?.edge?.source_depth_label])).toEqual(
      WALK.map((w) => [null, w.policy, w.source, w.target, `D${w.sourceDepth} ${["EXISTENCE", "IDENTITY", "CAPABILITIES", "CONSTRAINTS"][w.sourceDepth]}`]),
    );
    expect(first).toMatchObject({ shape: "legacy", failed_callbacks: 1, blocked: true, diagnostics: [], outcome: { action: "BLOCK", reason: "Confirmation required, no handler", confirmation: "no_handler" } });
    expect(JSON.stringify(body)).not.toContain("sk-vre-fixture-secret");
  });

  it("shows the gate's PENDING, with its confirmation message, as not blocked", async () => {
    const body = await get(`?agent_id=${OLD}&action=PENDING`);
    expect(body.groups).toHaveLength(1);
    expect(body.groups[0]).toMatchObject({ blocked: false, outcome: { action: "PENDING", confirmation_message: pending.confirmation_message } });
    expect(body.groups[0].invocations.map((d) => [d.reconstructed?.policy?.name, d.callback_result.fires])).toEqual([["no_system_paths", false], ["size_limit", false], ["audit_writes", true]]);
  });

  it("keeps a raising callback: no result, what it raised, the evaluation ends there and is not a block", async () => {
    const body = await get(`?agent_id=${OLD}&limit=1000`);
    const g = body.groups.find((x) => x.tool_call.call_args[0] === "/tmp/x")!;
    expect(g.invocations.map((d) => d.callback_result)).toEqual([
      { returned: "bool", value: false, fires: false, passed: true, message: null, error: null },
      { returned: "raised", value: null, fires: null, passed: null, message: null, error: "KeyError('size')" },
    ]);
    expect(g).toMatchObject({ raised_callbacks: 1, blocked: false, outcome: null });
    expect(g.invocations.map((d) => d.reconstructed?.policy?.name)).toEqual(["no_system_paths", "size_limit"]);
  });

  it("splits evaluations of one call by the walk's length: six records in a burst are two blocked tool calls", async () => {
    const body = await get(`?agent_id=${OLD}&limit=1000`);
    const hosts = body.groups.filter((g) => g.tool_call.call_args[0] === "/etc/hosts").reverse();
    expect(hosts.map((g) => [g.invocations.length, g.outcome?.action, g.blocked])).toEqual([
      [3, "BLOCK", true],
      [3, "PASS", false],
      [3, "BLOCK", true],
      [3, "BLOCK", true],
    ]);
    expect(hosts.every((g) => g.invocations.every((d, i) => d.reconstructed?.policy?.name === WALK[i].policy))).toBe(true);
  });

  it("accepts the newer PolicyResult with its violations, the handler that raised, and the fail-closed callback", async () => {
    const body = await get(`?agent_id=${NEW}`);
    const [closed, raised, report] = body.groups;
    expect(report.outcome).toEqual({ action: "BLOCK", reason: newerBlock.reason, confirmation: null, confirmation_message: null, violations: [{ policy: "no_external", requires_confirmation: false, callback_result: newerBlock.violations[0].callback_result }] });
    expect(report).toMatchObject({ blocked: true, failed_callbacks: 1, invocations: [{ callback_result: { returned: "result", fires: false } }, { callback_result: { returned: "result", fires: true } }] });
    expect(raised.outcome).toMatchObject({ action: "BLOCK", confirmation: "handler_raised" });
    expect(closed).toMatchObject({ fail_closed: true, outcome: { confirmation: "no_handler", violations: [] } });
  });

  it("counts blocks as tool calls blocked, the same on the agents list, the overview and the policy page, and as a recount from the rows", async () => {
    const agents = (await contractJson(await listAgents(getRequest("/api/v1/agents"), noParams), "GET /api/v1/agents")) as { agents: { agent_id: string; blocks: number; policy_decisions: number }[] };
    const byId = Object.fromEntries(agents.agents.map((a) => [a.agent_id, a]));
    // Old: evaluations 1, 5a, 5b (BLOCK) — not the 9 invocations recorded with BLOCK. New: three tool calls.
    expect(byId[OLD]).toMatchObject({ blocks: 3, policy_decisions: 17 });
    expect(byId[NEW]).toMatchObject({ blocks: 3, policy_decisions: 4 });
    expect((await get(`?agent_id=${OLD}`)).blocked_calls).toBe(3);
    expect((await get("")).blocked_calls).toBe(6);
    expect((await overviewCounts(getDb())).blocks).toBe(6);
    const recount = await query<Record<string, unknown>>(db, dialect, computedStatsSql());
    expect(Object.fromEntries(recount.map((r) => [String(r.agent_id), num(r.blocks)]))).toEqual({ [OLD]: 3, [NEW]: 3 });
  });

  it("refuses a record with neither a result nor an error, naming the field", async () => {
    const res = await ingest(jsonRequest("/api/v1/ingest", { records: [{ type: "policy_decision", created_at: at(1), agent_id: OLD, context: flatContext("/x") }] }), noParams);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { details: { path: string; message: string }[] } };
    expect(body.error.details[0].path).toBe("records.0.callback_result");
  });
});
