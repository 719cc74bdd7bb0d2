// One agent's events from the three tables, merged in time order with a keyset cursor.
// Each table is read with its own (agent_id, ts, id) index and its own LIMIT, then the
// UNION ALL is ordered and cut: a page never scans more than `limit` rows per table.
import type { Db } from "../client";
import type { Dialect } from "../config";
import { bool, num, query } from "../sql";
import { boolSql } from "../dialect";
import { formatMicros } from "@/lib/records/timestamp";
import { leakReason, tagStatus, type TagStatus } from "@/lib/analysis/leaks";
import { depthLabel } from "@/lib/records/depth";
import { decodeCursor as decodeKey, encodeCursor as encodeKey } from "@/lib/pagination/cursor";

import { EVENT_KINDS, type EventKind } from "../../records/timeline-kinds";
export { EVENT_KINDS, type EventKind };
const INTERCEPT_KINDS: EventKind[] = ["tool_call", "llm_call", "untagged_call"];

/** Order of the tables at the same instant (part of the cursor). */
const RANK = { intercept: 0, policy_decision: 1, handoff: 2 } as const;

export interface TimelineCursor {
  ts: number;
  rank: number;
  id: string;
}

export const encodeCursor = (c: TimelineCursor): string => encodeKey([c.ts, c.rank, c.id]);

/** The cursor, or null when it is not one of ours (the route answers 400). */
export function decodeCursor(text: string): TimelineCursor | null {
  const key = decodeKey(text, ["int", [RANK.intercept, RANK.policy_decision, RANK.handoff], "id"] as const);
  return key && { ts: key[0], rank: key[1], id: key[2] };
}

export interface TimelineFilter {
  agentId: string;
  cursor?: TimelineCursor | null;
  limit: number;
  kinds?: EventKind[];
  actions?: string[];
  leaksOnly?: boolean;
  /** microseconds, inclusive */
  fromTs?: number;
  /** microseconds, exclusive */
  toTs?: number;
}

interface EventBase {
  id: string;
  at: string;
  /** opaque cursor just after this event (where a later page would start) */
  cursor: string;
  source: string;
  source_id: string | null;
  link: string;
  summary: string;
}

export interface InterceptEvent extends EventBase {
  kind: "tool_call" | "llm_call" | "untagged_call";
  method: string;
  host: string;
  path: string;
  action_name: string;
  tag_status: TagStatus;
  llm_provider: string | null;
  run_id: string | null;
  call_ref: string | null;
  leak: { reason: string; tool_intercept_id: string } | null;
}

export interface PolicyDecisionEvent extends EventBase {
  kind: "policy_decision";
  tool_name: string;
  policy_name: string | null;
  edge: { source: string; target: string; source_depth: string; target_depth: string } | null;
  passed: boolean | null;
  action: string | null;
  fail_closed: boolean;
  message: string | null;
}

export interface HandoffEvent extends EventBase {
  kind: "handoff";
  task: string | null;
  run_id: string | null;
  claim_count: number;
  evaluator_outcome: string | null;
  verdict_outcome: string | null;
}

export type TimelineEvent = InterceptEvent | PolicyDecisionEvent | HandoffEvent;

export interface TimelinePage {
  events: TimelineEvent[];
  next_cursor: string | null;
}

/** The keyset condition "after the cursor" for one table, given its rank among the tables. */
function afterCursor(alias: string, rank: number, c: TimelineCursor | null | undefined, params: unknown[]): string {
  if (!c) return "";
  if (rank > c.rank) {
    params.push(c.ts);
    return ` AND ${alias}."ts" >= ?`;
  }
  if (rank < c.rank) {
    params.push(c.ts);
    return ` AND ${alias}."ts" > ?`;
  }
  // A row-value comparison: both databases walk the (agent_id, ts, id) index from it; an OR would not.
  params.push(c.ts, c.id);
  return ` AND (${alias}."ts", ${alias}."id") > (?, ?)`;
}

function timeRange(alias: string, f: TimelineFilter, params: unknown[]): string {
  let sql = "";
  if (f.fromTs !== undefined) {
    sql += ` AND ${alias}."ts" >= ?`;
    params.push(f.fromTs);
  }
  if (f.toTs !== undefined) {
    sql += ` AND ${alias}."ts" < ?`;
    params.push(f.toTs);
  }
  return sql;
}

const inList = (values: unknown[], params: unknown[]) => {
  params.push(...values);
  return values.map(() => "?").join(", ");
};

/** The columns every table's part of the UNION ALL yields; typed NULLs where a table has none. */
const COLUMNS: [string, "TEXT" | "BOOLEAN" | "INTEGER"][] = [
  ["kind", "TEXT"], ["method", "TEXT"], ["host", "TEXT"], ["path", "TEXT"], ["action_name", "TEXT"], ["llm_provider", "TEXT"],
  ["run_id", "TEXT"], ["call_ref", "TEXT"], ["is_leak", "BOOLEAN"], ["tool_id", "TEXT"], ["parent_tool_id", "TEXT"], ["tool_name", "TEXT"],
  ["policy_name", "TEXT"], ["edge_source", "TEXT"], ["edge_target", "TEXT"], ["source_depth", "INTEGER"],
  ["target_depth", "INTEGER"], ["passed", "BOOLEAN"], ["action", "TEXT"], ["fail_closed", "BOOLEAN"], ["message", "TEXT"],
  ["task", "TEXT"], ["claim_count", "INTEGER"], ["evaluator_outcome", "TEXT"], ["verdict_outcome", "TEXT"],
];

function perTable(table: string, alias: string, rank: number, where: string, exprs: Record<string, string>): string {
  const cols = COLUMNS.map(([name, type]) => `${exprs[name] ?? `CAST(NULL AS ${type})`} AS "${name}"`).join(", ");
  return `SELECT * FROM (SELECT ${rank} AS "rank", ${alias}."id", ${alias}."ts", ${alias}."created_at", ${alias}."source", ${alias}."source_id", ${cols}
    FROM "${table}" ${alias} WHERE ${where} ORDER BY ${alias}."ts", ${alias}."id" LIMIT ?) AS t${rank}`;
}

/** One page of an agent's timeline. Fetches limit+1 to know whether another page follows. */
export async function agentTimeline({ db, dialect }: { db: Db; dialect: Dialect }, f: TimelineFilter): Promise<TimelinePage> {
  const kinds = new Set<EventKind>(f.kinds?.length ? f.kinds : EVENT_KINDS);
  const take = f.limit + 1;
  const parts: string[] = [];
  const params: unknown[] = [];

  const interceptKinds = INTERCEPT_KINDS.filter((k) => kinds.has(k));
  if (interceptKinds.length) {
    let where = `i."agent_id" = ?`;
    params.push(f.agentId);
    // leaks_only rides the (agent_id, is_leak, ts, id) index; only LLM calls can be leaks.
    if (f.leaksOnly) where += ` AND i."is_leak" = ${boolSql(dialect, true)}`;
    where += ` AND i."kind" IN (${inList(interceptKinds, params)})`;
    if (f.actions?.length) where += ` AND i."action_name" IN (${inList(f.actions, params)})`;
    where += timeRange("i", f, params) + afterCursor("i", RANK.intercept, f.cursor, params);
    params.push(take);
    parts.push(
      perTable("intercepts", "i", RANK.intercept, where, {
        kind: `i."kind"`, method: `i."method"`, host: `i."host"`, path: `i."path"`, action_name: `i."action_name"`,
        llm_provider: `i."llm_provider"`, run_id: `i."run_id"`, call_ref: `i."call_ref"`, is_leak: `i."is_leak"`,
        tool_id: `i."leak_tool_intercept_id"`, parent_tool_id: `i."parent_tool_intercept_id"`,
      }),
    );
  }
  // Policy decisions and handoffs are not calls: no leaks among them.
  if (kinds.has("policy_decision") && !f.leaksOnly) {
    let where = `p."agent_id" = ?`;
    params.push(f.agentId);
    if (f.actions?.length) where += ` AND p."tool_name" IN (${inList(f.actions, params)})`;
    where += timeRange("p", f, params) + afterCursor("p", RANK.policy_decision, f.cursor, params);
    params.push(take);
    parts.push(
      perTable("policy_decisions", "p", RANK.policy_decision, where, {
        kind: `'policy_decision'`, tool_name: `p."tool_name"`, policy_name: `p."policy_name"`, edge_source: `p."edge_source"`,
        edge_target: `p."edge_target"`, source_depth: `p."source_depth"`, target_depth: `p."target_depth"`, passed: `p."passed"`,
        action: `p."action"`, fail_closed: `p."fail_closed"`, message: `p."message"`,
      }),
    );
  }
  // Handoffs carry no single action tag, so an action filter leaves them out.
  if (kinds.has("handoff") && !f.leaksOnly && !f.actions?.length) {
    let where = `h."agent_id" = ?`;
    params.push(f.agentId);
    where += timeRange("h", f, params) + afterCursor("h", RANK.handoff, f.cursor, params);
    params.push(take);
    parts.push(
      perTable("handoffs", "h", RANK.handoff, where, {
        kind: `'handoff'`, run_id: `h."run_id"`, task: `h."task"`, claim_count: `h."claim_count"`,
        evaluator_outcome: `h."evaluator_outcome"`, verdict_outcome: `h."verdict_outcome"`,
      }),
    );
  }
  if (!parts.length) return { events: [], next_cursor: null };

  params.push(take);
  const rows = await query<Row>(db, dialect, `${parts.join(" UNION ALL ")} ORDER BY "ts", "rank", "id" LIMIT ?`, params);
  const page = rows.slice(0, f.limit);
  const tools = await toolCallsOf(db, dialect, page);
  const events = page.map((r) => toEvent(r, tools, f.agentId));
  const last = page.at(-1);
  return { events, next_cursor: rows.length > f.limit && last ? encodeCursor({ ts: num(last.ts), rank: num(last.rank), id: last.id }) : null };
}

interface Row {
  rank: unknown;
  id: string;
  ts: unknown;
  created_at: string;
  source: string;
  source_id: string | null;
  kind: string;
  method: string | null;
  host: string | null;
  path: string | null;
  action_name: string | null;
  llm_provider: string | null;
  run_id: string | null;
  call_ref: string | null;
  is_leak: unknown;
  tool_id: string | null;
  parent_tool_id: string | null;
  tool_name: string | null;
  policy_name: string | null;
  edge_source: string | null;
  edge_target: string | null;
  source_depth: unknown;
  target_depth: unknown;
  passed: unknown;
  action: string | null;
  fail_closed: unknown;
  message: string | null;
  task: string | null;
  claim_count: unknown;
  evaluator_outcome: string | null;
  verdict_outcome: string | null;
}

export interface ToolCallFacts {
  id: string;
  method: string;
  host: string;
  path: string;
  ts: number;
  createdAt: string;
  callRef: string | null;
}

/** The tool calls that the page's leaked LLM calls point at, for their reason sentences. */
async function toolCallsOf(db: Db, dialect: Dialect, rows: Row[]): Promise<Map<string, ToolCallFacts>> {
  const ids = [...new Set(rows.filter((r) => bool(r.is_leak) && r.tool_id).map((r) => r.tool_id!))];
  if (!ids.length) return new Map();
  const params: unknown[] = [];
  const found = await query<{ id: string; method: string; host: string; path: string; ts: unknown; created_at: string; call_ref: string | null }>(
    db,
    dialect,
    `SELECT "id", "method", "host", "path", "ts", "created_at", "call_ref" FROM "intercepts" WHERE "id" IN (${inList(ids, params)})`,
    params,
  );
  return new Map(found.map((t) => [t.id, { id: t.id, method: t.method, host: t.host, path: t.path, ts: num(t.ts), createdAt: t.created_at, callRef: t.call_ref }]));
}

const nullableBool = (v: unknown) => (v === null || v === undefined ? null : bool(v));
const nullableNum = (v: unknown) => (v === null || v === undefined ? null : num(v));

function toEvent(r: Row, tools: Map<string, ToolCallFacts>, agentId: string): TimelineEvent {
  const ts = num(r.ts);
  const base = {
    id: r.id,
    at: r.created_at ?? formatMicros(ts),
    cursor: encodeCursor({ ts, rank: num(r.rank), id: r.id }),
    source: r.source,
    source_id: r.source_id,
  };
  if (r.kind === "policy_decision") {
    const passed = nullableBool(r.passed);
    const edge = r.edge_source !== null && r.edge_target !== null
      ? { source: r.edge_source, target: r.edge_target, source_depth: depthLabel(nullableNum(r.source_depth)), target_depth: depthLabel(nullableNum(r.target_depth)) }
      : null;
    // An older callback's true is stored as passed: false (it fired); null: it raised.
    const result = passed === null ? "raised" : passed ? "passed" : "fired";
    const outcome = r.action ?? "not recorded";
    return {
      ...base,
      kind: "policy_decision",
      link: `/policy?agent_id=${encodeURIComponent(agentId)}`,
      tool_name: r.tool_name ?? "",
      policy_name: r.policy_name,
      edge,
      passed,
      action: r.action,
      fail_closed: bool(r.fail_closed),
      message: r.message,
      summary: `${r.tool_name}: ${r.policy_name ?? "policy"}${edge ? ` on ${edge.source} → ${edge.target}` : " (edge not recorded)"} — ${result}, gate ${outcome}`,
    };
  }
  if (r.kind === "handoff") {
    const outcome = r.evaluator_outcome === "NOT_EVALUATED" ? "not evaluated (it never finished)" : (r.evaluator_outcome ?? r.verdict_outcome ?? "not evaluated");
    return {
      ...base,
      kind: "handoff",
      link: `/handoffs/${encodeURIComponent(r.id)}`,
      task: r.task,
      run_id: r.run_id,
      claim_count: num(r.claim_count),
      evaluator_outcome: r.evaluator_outcome,
      verdict_outcome: r.verdict_outcome,
      summary: `Handoff${r.task ? `: ${r.task}` : ""} — evaluator ${outcome}`,
    };
  }
  const isLeak = bool(r.is_leak);
  const tool = isLeak && r.tool_id ? tools.get(r.tool_id) : undefined;
  const call = { actionName: r.action_name ?? "", method: r.method ?? "", host: r.host ?? "", path: r.path ?? "", ts, callRef: r.call_ref };
  return {
    ...base,
    kind: r.kind as InterceptEvent["kind"],
    link: `/intercepts/${encodeURIComponent(r.id)}`,
    method: call.method,
    host: call.host,
    path: call.path,
    action_name: call.actionName,
    tag_status: tagStatus({ actionName: call.actionName, isLeak }),
    llm_provider: r.llm_provider,
    run_id: r.run_id,
    call_ref: r.call_ref,
    leak: isLeak && r.tool_id ? { tool_intercept_id: r.tool_id, reason: tool ? leakReason(call, tool, r.parent_tool_id === r.tool_id) : `This LLM call carries the action tag "${call.actionName}" of an earlier tool call.` } : null,
    summary: `${call.method || "—"} ${call.host}${call.path}`,
  };
}
