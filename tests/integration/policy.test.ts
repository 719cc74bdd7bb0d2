import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as ingest } from "@/app/api/v1/ingest/route";
import { GET as listDecisions } from "@/app/api/v1/policy-decisions/route";
import { GET as openapi } from "@/app/api/v1/openapi.json/route";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { getRequest, jsonRequest, noParams, TEST_KEY } from "../support/http";
import { contractJson } from "../support/contract";
import type { Db } from "@/lib/db/client";
import type { PolicyDecisionsResponse } from "@/lib/api-contract/policy";

// One gate evaluation of send_email with three triggering edges, one of which blocks,
// written once in the composed shape and once in the older flat shape.
const AGENT = "9d0c1e2f-0000-4000-8000-00000000abcd";
const call = { tool_name: "send_email", call_args: [], call_kwargs: { to: "cfo@partner.example", subject: "Q3", smtp_password: "hunter2-policy" } };
const block = { action: "BLOCK", reason: "Financial data may not be emailed to external parties.", confirmation: null };
const edges = [
  { source_name: "Agent", target_name: "Email", source_depth: 1, target_depth: "CAPABILITIES", policy: "email_allowed", passed: true, message: null },
  { source_name: "Email", target_name: "ExternalParty", source_depth: "D2 CAPABILITIES", target_depth: 3, policy: "no_external_financials", passed: false, message: block.reason },
  { source_name: "FinancialData", target_name: "Audit", source_depth: "3", target_depth: "IMPLICATIONS", policy: "audit_trail", passed: true, message: null },
];
const T = Date.parse("2026-11-20T09:00:00Z");
const at = (ms: number) => new Date(T + ms).toISOString();

const composed = edges.map((e, i) => ({
  type: "policy_decision",
  id: `gate-1-edge-${i + 1}`,
  created_at: at(i * 4),
  context: {
    tool_call: call,
    grounding: { agent_id: AGENT, resolved_concepts: ["Email", "ExternalParty"] },
    triggering_edge: { source_name: e.source_name, target_name: e.target_name, source_depth: e.source_depth, target_depth: e.target_depth },
    policy: { name: e.policy, requires_confirmation: false, trigger_cardinality: "single", callback: `check_${e.policy}`, confirmation_message: "", metadata: { owner: "compliance" } },
  },
  callback_result: { passed: e.passed, message: e.message },
  decision: block,
}));

// The older shape: one context, built once and reused for all three edges.
const flatContext = { ...call, grounding: { grounded: true, concepts: ["Email", "ExternalParty"] } };
const legacy = edges.map((e, i) => ({
  type: "policy_decision",
  id: `legacy-1-${i + 1}`,
  agent_id: "legacy_mailer",
  created_at: at(60_000 + i * 4),
  context: flatContext,
  callback_result: { passed: e.passed, message: e.message },
  decision: block,
}));

// A second tool call that passes after a confirmation, and a fail-closed callback.
const confirmed = {
  type: "policy_decision",
  id: "gate-2",
  created_at: at(120_000),
  context: {
    tool_call: { tool_name: "create_invoice", call_args: [1200], call_kwargs: {} },
    grounding: { agent_id: AGENT, resolved_concepts: [] },
    triggering_edge: { source_name: "Agent", target_name: "Invoice", source_depth: 1, target_depth: 2 },
    policy: { name: "invoice_needs_confirmation", requires_confirmation: true, trigger_cardinality: null, callback: null, confirmation_message: "Sure?", metadata: {} },
  },
  callback_result: { passed: true, message: null },
  decision: { action: "PASS", reason: null, confirmation: "granted" },
};
const failClosed = {
  ...confirmed,
  id: "gate-3",
  created_at: at(180_000),
  context: { ...confirmed.context, tool_call: { tool_name: "delete_records", call_args: ["customers"], call_kwargs: { api_token: "tok-policy-secret" } }, policy: { ...confirmed.context.policy, name: "destructive_ops" } },
  callback_result: { passed: false, message: "Callback check_destructive raised TimeoutError; firing conservatively." },
  decision: { action: "BLOCK", reason: "Confirmation required, no handler" },
};

const get = async (qs = "") => {
  const res = await listDecisions(getRequest(`/api/v1/policy-decisions${qs}`), noParams);
  return { status: res.status, body: (await contractJson(res, "GET /api/v1/policy-decisions")) as PolicyDecisionsResponse & { error?: { code: string; details: { path: string }[] } } };
};

describe.each(DIALECTS)("policy decisions on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    ({ db } = await useFreshDatabase(dialect));
    const res = await ingest(jsonRequest("/api/v1/ingest", { records: [...composed, ...legacy, confirmed, failClosed] }), noParams);
    expect(await contractJson(res, "POST /api/v1/ingest")).toEqual({ accepted: 8, duplicates: 0, rejected: [] });
  });
  afterAll(() => {
    delete process.env.VERDICT_API_KEY;
  });

  it("groups the three composed-shape edges into one blocked gate evaluation", async () => {
    const { status, body } = await get(`?agent_id=${AGENT}&policy=&edge=`);
    expect(status).toBe(200);
    const gate = body.groups.find((g) => g.tool_call.tool_name === "send_email")!;
    expect(gate).toMatchObject({ agent_id: AGENT, shape: "edge", outcome: block, failed_callbacks: 1, fail_closed: false, diagnostics: [] });
    expect(gate.invocations.map((d) => d.source_id)).toEqual(["gate-1-edge-1", "gate-1-edge-2", "gate-1-edge-3"]);
    expect(gate.invocations.map((d) => [d.policy?.name, d.callback_result.passed])).toEqual([
      ["email_allowed", true],
      ["no_external_financials", false],
      ["audit_trail", true],
    ]);
    expect(gate.invocations[1].edge).toEqual({
      source_name: "Email", target_name: "ExternalParty", source_depth: 2, target_depth: 3,
      source_depth_label: "D2 CAPABILITIES", target_depth_label: "D3 CONSTRAINTS",
    });
    expect(gate.invocations.map((d) => `${d.edge?.source_depth_label} → ${d.edge?.target_depth_label}`)).toEqual([
      "D1 IDENTITY → D2 CAPABILITIES", "D2 CAPABILITIES → D3 CONSTRAINTS", "D3 CONSTRAINTS → D4 IMPLICATIONS",
    ]);
    // Every decision names its evaluation by Verdict's id of the first invocation.
    expect(new Set(body.decisions.filter((d) => d.tool_call.tool_name === "send_email").map((d) => d.evaluation_id))).toEqual(new Set([gate.id]));
    expect(gate.id).toBe(gate.invocations[0].id);
  });

  it("says the older-shape invocations cannot be told apart, and gives them no edge", async () => {
    const { body } = await get("?agent_id=legacy_mailer");
    expect(body.decisions).toHaveLength(3);
    expect(body.decisions.every((d) => d.edge === null && d.policy === null && d.shape === "legacy")).toBe(true);
    expect(body.groups).toHaveLength(1);
    const [gate] = body.groups;
    expect(gate).toMatchObject({ shape: "legacy", outcome: block, failed_callbacks: 1 });
    expect(gate.diagnostics).toEqual([
      { code: "indistinguishable_invocations", count: 3, decision_ids: gate.invocations.map((d) => d.id), message: "3 invocations cannot be told apart: the context has no triggering edge" },
    ]);
    // This grounding carries no trace, so the gate's walk cannot be replayed: nothing is reconstructed.
    expect(gate.invocations.map((d) => d.reconstructed)).toEqual(Array(3).fill({ edge: null, policy: null, note: "the grounding result carries no trace to walk" }));
    expect(body.policies).toEqual([{ policy: null, invocations: 3, fired: 1, fire_rate: 1 / 3, blocks: 1, fail_closed: 0, last_fired: "2026-11-20T09:01:00.008000Z" }]);
    // One tool call blocked, though three callbacks ran.
    expect(body.blocked_calls).toBe(1);
  });

  it("filters to BLOCK and still shows every edge of each blocked call", async () => {
    const { body } = await get("?action=BLOCK");
    expect(body.decisions.every((d) => d.decision?.action === "BLOCK")).toBe(true);
    expect(body.decisions).toHaveLength(7);
    expect(body.groups.map((g) => g.tool_call.tool_name)).toEqual(["delete_records", "send_email", "send_email"]);
    const closed = body.groups[0];
    expect(closed).toMatchObject({ fail_closed: true, outcome: { action: "BLOCK", reason: "Confirmation required, no handler", confirmation: "no_handler" } });
  });

  it("filters by edge, depth and policy, keeping the whole evaluation in the group", async () => {
    const byEdge = (await get(`?edge=${encodeURIComponent("Email->ExternalParty")}`)).body;
    expect(byEdge.decisions.map((d) => d.source_id)).toEqual(["gate-1-edge-2"]);
    expect(byEdge.groups).toHaveLength(1);
    expect(byEdge.groups[0].invocations).toHaveLength(3);

    const d4 = (await get(`?depth=${encodeURIComponent("D4 IMPLICATIONS")}`)).body;
    expect(d4.decisions.map((d) => d.source_id)).toEqual(["gate-1-edge-3"]);
    expect((await get("?depth=3")).body.decisions.map((d) => d.source_id).sort()).toEqual(["gate-1-edge-2", "gate-1-edge-3"]);

    const none = (await get("?edge=none")).body;
    expect(none.decisions.map((d) => d.source_id).sort()).toEqual(["legacy-1-1", "legacy-1-2", "legacy-1-3"]);

    const pass = (await get("?action=PASS&policy=invoice_needs_confirmation")).body;
    expect(pass.groups).toHaveLength(1);
    expect(pass.groups[0].outcome).toEqual({ action: "PASS", reason: null, confirmation: "granted", confirmation_message: null, violations: null });
  });

  it("summarises each policy: invocations, fired, blocked calls, fail-closed, last fired", async () => {
    const { body } = await get(`?agent_id=${AGENT}&action=BLOCK`);
    const byName = Object.fromEntries(body.policies.map((p) => [p.policy, p]));
    // The action filter narrows the decisions, not the summary: a block rate over blocks only would say nothing.
    expect(byName.no_external_financials).toEqual({ policy: "no_external_financials", invocations: 1, fired: 1, fire_rate: 1, blocks: 1, fail_closed: 0, last_fired: "2026-11-20T09:00:00.004000Z" });
    expect(byName.email_allowed).toMatchObject({ invocations: 1, fired: 0, blocks: 0, fire_rate: 0 });
    // The agent's blocked tool calls: send_email (three edges, one fired) and delete_records.
    expect(body.blocked_calls).toBe(2);
    expect(byName.destructive_ops).toMatchObject({ invocations: 1, blocks: 1, fail_closed: 1 });
    expect(byName.invoice_needs_confirmation).toMatchObject({ invocations: 1, blocks: 0 });
    expect(byName.null).toBeUndefined();
  });

  it("pages with a cursor, newest first", async () => {
    const first = (await get("?limit=5")).body;
    expect(first.decisions).toHaveLength(5);
    expect(first.next_cursor).toEqual(expect.any(String));
    const second = (await get(`?limit=5&cursor=${first.next_cursor}`)).body;
    expect(second.decisions).toHaveLength(3);
    expect(second.next_cursor).toBeNull();
    const all = [...first.decisions, ...second.decisions].map((d) => d.created_at);
    expect(all).toEqual([...all].sort().reverse());
    expect(new Set([...first.decisions, ...second.decisions].map((d) => d.id)).size).toBe(8);
  });

  it("answers bad filters with a 400 naming the parameter", async () => {
    for (const [qs, path] of [["?action=DENY", "action"], ["?depth=D9", "depth"], ["?edge=Email", "edge"], ["?limit=0", "limit"], ["?cursor=abc", "cursor"], ["?call_key=xyz", "call_key"]]) {
      const { status, body } = await get(qs);
      expect(status, qs).toBe(400);
      expect(body.error?.code).toBe("invalid_request");
      expect(body.error?.details[0].path).toBe(path);
    }
  });

  it("masked the sensitive arguments at ingest", async () => {
    const { body } = await get();
    const text = JSON.stringify(body);
    expect(text).not.toContain("hunter2-policy");
    expect(text).not.toContain("tok-policy-secret");
    expect(body.decisions.find((d) => d.source_id === "gate-3")?.tool_call.call_kwargs).toEqual({ api_token: "[secret removed: api_token]" });
    const stored = (await db.policyDecision.findMany()).map((r) => r.context).join("\n");
    expect(stored).not.toContain("hunter2-policy");
  });

  it("is described in the OpenAPI document", async () => {
    const doc = (await (await openapi(getRequest("/api/v1/openapi.json"), noParams)).json()) as { paths: Record<string, { get?: { parameters: { name: string }[] } }> };
    expect(doc.paths["/api/v1/policy-decisions"].get?.parameters.map((p) => p.name)).toEqual(["agent_id", "action", "policy", "edge", "depth", "call_key", "cursor", "limit"]);
  });
});
