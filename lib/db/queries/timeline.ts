// One agent's events from the three tables, merged in time order with a keyset cursor.
// Each table is read with its own (agent_id, ts, id) index and its own LIMIT, then the
// UNION ALL is ordered and cut: a page never scans more than `limit` rows per table.
// Rows only: lib/timeline/service.ts makes them into the API's events.
import type { DbHandle } from "../client";
import { bool, num, query } from "../sql";
import { boolSql } from "../dialect";
import { TIMELINE_RANK as RANK, type TimelineCursor } from "@/lib/pagination/timeline-cursor";
import { EVENT_KINDS, type EventKind } from "../../records/timeline-kinds";
const INTERCEPT_KINDS: EventKind[] = ["tool_call", "llm_call", "untagged_call"];

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

/** One page of an agent's timeline rows. Fetches limit+1 to know whether another page follows. */
export async function agentTimeline({ db, dialect }: DbHandle, f: TimelineFilter): Promise<TimelineRows> {
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
  if (!parts.length) return { rows: [], more: false, tools: new Map() };

  params.push(take);
  const raw = await query<RawRow>(db, dialect, `${parts.join(" UNION ALL ")} ORDER BY "ts", "rank", "id" LIMIT ?`, params);
  const rows = raw.slice(0, f.limit).map(toRow);
  return { rows, more: raw.length > f.limit, tools: await toolCallsOf({ db, dialect }, rows) };
}

/** A page of rows in time order, whether more follow, and the tool calls its leaked LLM calls point at. */
export interface TimelineRows {
  rows: TimelineRow[];
  more: boolean;
  tools: Map<string, ToolCallFacts>;
}

/** One row of the UNION ALL as the database returns it (numbers and booleans vary by driver). */
interface RawRow {
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
async function toolCallsOf(h: DbHandle, rows: TimelineRow[]): Promise<Map<string, ToolCallFacts>> {
  const { db, dialect } = h;
  const ids = [...new Set(rows.filter((r) => r.is_leak && r.tool_id).map((r) => r.tool_id!))];
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

/** A row with its numbers and booleans read the same on both databases. */
export type TimelineRow = Omit<RawRow, "rank" | "ts" | "is_leak" | "source_depth" | "target_depth" | "passed" | "fail_closed" | "claim_count"> & {
  rank: number;
  ts: number;
  is_leak: boolean;
  source_depth: number | null;
  target_depth: number | null;
  passed: boolean | null;
  fail_closed: boolean;
  claim_count: number;
};

function toRow(r: RawRow): TimelineRow {
  return {
    ...r,
    rank: num(r.rank),
    ts: num(r.ts),
    is_leak: bool(r.is_leak),
    source_depth: nullableNum(r.source_depth),
    target_depth: nullableNum(r.target_depth),
    passed: nullableBool(r.passed),
    fail_closed: bool(r.fail_closed),
    claim_count: num(r.claim_count),
  };
}
