// Tag leaks and the other tagging faults a user wants told apart (docs/records.md, "Why tag leaks
// matter"). Pure: the caller hands in the facts of recorded calls; nothing here reads storage.
//
// The rule for a leak is the one ingest stores (lib/db/queries/leaks.ts): an LLM call that
// carries an action tag which an earlier (or simultaneous) tool call of the same agent has.
// The leak points at the latest such tool call (ties on time broken by the larger id).
// Generation B's form: an LLM call that carries a tool call's call_ref (it ran inside the
// tool's scoped block, before or after the tool's fetch) is a leak of that tool call, the
// first inserted tool call with the call_ref; this link wins over the tag rule.
import type { CallKind } from "./classify-call";
import { OTEL_TOOL_HOST, UNTAGGED } from "./classify-call";

export interface CallFacts {
  id: string;
  agentId: string;
  kind: CallKind;
  actionName: string;
  method: string;
  host: string;
  path: string;
  /** microseconds since the epoch */
  ts: number;
  createdAt: string;
  runId?: string | null;
  callRef?: string | null;
  /** the tool call this call ran inside, when its tag came from span nesting (OTLP) */
  parentToolId?: string | null;
}

export interface TagLeak {
  llmInterceptId: string;
  toolInterceptId: string;
  actionName: string;
  reason: string;
}

/** "GET api.open-meteo.com/v1/forecast?…" — how a call is named in a sentence. */
export function describeCall(c: Pick<CallFacts, "method" | "host" | "path">): string {
  // An OTLP tool span without a URL (otel://execute_tool/<tool>): named as its span is.
  if (c.host === OTEL_TOOL_HOST && !c.method) return `execute_tool ${safeDecode(c.path.slice(1))}`;
  const path = c.path.length > 80 ? c.path.slice(0, 79) + "…" : c.path;
  return `${c.method || "(method not recorded)"} ${c.host}${path}`;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function describeGap(llmTs: number, toolTs: number): string {
  const ms = Math.max(0, (llmTs - toolTs) / 1000);
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.round(ms / 60_000)} min`;
}

/**
 * The one sentence that says why an LLM call is a leak and what it breaks. `nested`: the call
 * got the tag from span nesting (an OTLP span under the tool's execute_tool span).
 */
export function leakReason(
  llm: Pick<CallFacts, "actionName" | "method" | "host" | "path" | "ts"> & { callRef?: string | null },
  tool: Pick<CallFacts, "method" | "host" | "path" | "ts" | "createdAt"> & { callRef?: string | null },
  nested = false,
): string {
  if (llm.callRef && llm.callRef === tool.callRef) {
    const when = llm.ts < tool.ts ? `${describeGap(tool.ts, llm.ts)} before` : `${describeGap(llm.ts, tool.ts)} after`;
    return (
      `This LLM call (${describeCall(llm)}) carries call_ref ${llm.callRef} of the tool call ${describeCall(tool)} (${tool.createdAt}): ` +
      `it ran inside the tool's scoped block, ${when} the tool's fetch, so the evaluator, which reads the first row with that call_ref, ` +
      `may check a claim against this LLM call instead of the tool's response.`
    );
  }
  const breaks = `a loader that takes the newest "${llm.actionName}" row gets this LLM call instead of the tool's response.`;
  if (nested) {
    return (
      `This LLM call (${describeCall(llm)}) ran inside the tool call ${describeCall(tool)} (${tool.createdAt}): its span is nested ` +
      `under that tool's execute_tool span, so it carries the action tag "${llm.actionName}" from span nesting, and ${breaks}`
    );
  }
  return (
    `This LLM call (${describeCall(llm)}) carries the action tag "${llm.actionName}" of the tool call ` +
    `${describeCall(tool)} made ${describeGap(llm.ts, tool.ts)} earlier (${tool.createdAt}): the tag was not reset ` +
    `after the tool ran, so ${breaks}`
  );
}

const byTime = (a: CallFacts, b: CallFacts) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Every tag leak among `calls` (any agents, any order), in one pass over them in time order.
 * LLM calls that are untagged, or tagged with a name no tool call of that agent carries
 * (an LLM action such as "llm_summarize"), are correctly scoped and are not leaks. An LLM call
 * that got its tag from span nesting is a leak of the tool call it ran inside.
 */
export function findTagLeaks(calls: CallFacts[]): TagLeak[] {
  const sorted = [...calls].filter((c) => c.kind !== "filler").sort(byTime);
  const byId = new Map(sorted.map((c) => [c.id, c]));
  const latestTool = new Map<string, CallFacts>(); // agent \0 tag → latest tool call so far
  const firstToolOfRef = new Map<string, CallFacts>(); // agent \0 call_ref → first tool call with it
  for (const c of sorted) {
    const k = `${c.agentId}\0${c.callRef}`;
    if (c.kind === "tool_call" && c.callRef && !firstToolOfRef.has(k)) firstToolOfRef.set(k, c);
  }
  const leaks: TagLeak[] = [];
  for (let i = 0; i < sorted.length; ) {
    // Calls at the same instant: tool calls first, so a tool call at the same ts counts as earlier.
    let j = i;
    while (j < sorted.length && sorted[j].ts === sorted[i].ts) j++;
    const sameInstant = sorted.slice(i, j);
    for (const c of sameInstant) if (c.kind === "tool_call") latestTool.set(`${c.agentId}\0${c.actionName}`, c);
    for (const c of sameInstant) {
      if (c.kind !== "llm_call") continue;
      // Span nesting (OTLP) first, then a shared call_ref (generation B), then the tag rule.
      const parent = c.parentToolId ? byId.get(c.parentToolId) : undefined;
      if (parent?.kind === "tool_call") {
        leaks.push({ llmInterceptId: c.id, toolInterceptId: parent.id, actionName: c.actionName, reason: leakReason(c, parent, true) });
        continue;
      }
      const byRef = c.callRef ? firstToolOfRef.get(`${c.agentId}\0${c.callRef}`) : undefined;
      if (byRef) {
        leaks.push({ llmInterceptId: c.id, toolInterceptId: byRef.id, actionName: c.actionName, reason: leakReason(c, byRef) });
        continue;
      }
      if (c.actionName === UNTAGGED) continue;
      const tool = latestTool.get(`${c.agentId}\0${c.actionName}`);
      if (tool) leaks.push({ llmInterceptId: c.id, toolInterceptId: tool.id, actionName: c.actionName, reason: leakReason(c, tool) });
    }
    i = j;
  }
  return leaks;
}

// ---- Findings about an agent's tags as a whole ----------------------------------------------

/** One row of "which tag, on which kind of call, to which host, in which run, how often". */
export interface TagUse {
  actionName: string;
  kind: CallKind;
  host: string;
  runId: string | null;
  count: number;
}

export type FindingRule = "untagged_call" | "tag_on_several_hosts" | "tag_only_on_llm_calls";

export interface TagFinding {
  rule: FindingRule;
  actionName: string;
  severity: "warning" | "info";
  message: string;
  runId?: string | null;
  hosts?: string[];
  count: number;
}

/** The sentence for one untagged (non-LLM) call. */
export function untaggedReason(c: Pick<CallFacts, "method" | "host" | "path">): string {
  return (
    `This call (${describeCall(c)}) was recorded with the tag "${UNTAGGED}": it ran outside a scoped tool call ` +
    `(often the scoping context manager was called without \`with\`), so no claim can be traced to it by action name.`
  );
}

/** Untagged calls: non-LLM calls whose tag is "unknown" (an untagged LLM call is correct scoping). */
export function findUntagged(uses: TagUse[]): TagFinding[] {
  const n = uses.filter((u) => u.kind === "untagged_call").reduce((s, u) => s + u.count, 0);
  if (n === 0) return [];
  return [
    {
      rule: "untagged_call",
      actionName: UNTAGGED,
      severity: "warning",
      count: n,
      message: `${n} call${n === 1 ? "" : "s"} to tools ran untagged ("${UNTAGGED}"): outside a scoped tool call, so claims cannot be traced to ${n === 1 ? "it" : "them"}.`,
    },
  ];
}

/**
 * The same tag on several distinct hosts within one run (tool calls only: a leaked LLM call
 * is already reported as a leak). Rows without a run id are not grouped: without a run
 * there is no telling one run's hosts from the next's. An OTLP execute_tool span recorded
 * without a URL (otel://execute_tool/<tool>) is not a host: the HTTP calls made inside it carry
 * its tag, and their one host is no finding.
 */
export function findTagsOnSeveralHosts(uses: TagUse[]): TagFinding[] {
  const groups = new Map<string, { actionName: string; runId: string; hosts: Set<string>; count: number }>();
  for (const u of uses) {
    if (u.kind !== "tool_call" || u.runId === null || u.host === OTEL_TOOL_HOST) continue;
    const k = `${u.runId}\0${u.actionName}`;
    const g = groups.get(k) ?? { actionName: u.actionName, runId: u.runId, hosts: new Set<string>(), count: 0 };
    g.hosts.add(u.host);
    g.count += u.count;
    groups.set(k, g);
  }
  return [...groups.values()]
    .filter((g) => g.hosts.size > 1)
    .map((g) => {
      const hosts = [...g.hosts].sort();
      return {
        rule: "tag_on_several_hosts" as const,
        actionName: g.actionName,
        runId: g.runId,
        hosts,
        count: g.count,
        severity: "warning" as const,
        message: `The tag "${g.actionName}" was seen on ${hosts.length} hosts in run ${g.runId} (${hosts.join(", ")}): a loader that takes the newest row for the tag may read the wrong call.`,
      };
    });
}

/**
 * Tags seen only on LLM calls: if the tag names a tool, the tool body never ran (no tool
 * call carries it). When a handoff claims the tag as a tool action, that is a warning;
 * otherwise it may simply be an LLM action name (e.g. "llm_summarize") and is only noted.
 */
export function findTagsOnlyOnLlmCalls(uses: TagUse[], claimedActions: ReadonlySet<string> = new Set()): TagFinding[] {
  const byTag = new Map<string, { llm: number; other: number }>();
  for (const u of uses) {
    if (u.actionName === UNTAGGED || u.kind === "filler") continue;
    const t = byTag.get(u.actionName) ?? { llm: 0, other: 0 };
    if (u.kind === "llm_call") t.llm += u.count;
    else t.other += u.count;
    byTag.set(u.actionName, t);
  }
  return [...byTag.entries()]
    .filter(([, t]) => t.llm > 0 && t.other === 0)
    .map(([actionName, t]) => {
      const claimed = claimedActions.has(actionName);
      return {
        rule: "tag_only_on_llm_calls" as const,
        actionName,
        count: t.llm,
        severity: claimed ? ("warning" as const) : ("info" as const),
        message: claimed
          ? `The tool action "${actionName}" is claimed in a handoff but appears only on LLM calls: the tool body never ran, so the claim rests on an LLM call.`
          : `The tag "${actionName}" appears only on LLM calls (${t.llm}); if it names a tool, the tool body never ran.`,
      };
    });
}

/** All tag findings of one agent, warnings first. */
export function tagFindings(uses: TagUse[], claimedActions: ReadonlySet<string> = new Set()): TagFinding[] {
  const all = [...findUntagged(uses), ...findTagsOnSeveralHosts(uses), ...findTagsOnlyOnLlmCalls(uses, claimedActions)];
  return all.sort((a, b) => (a.severity === b.severity ? 0 : a.severity === "warning" ? -1 : 1));
}

/** What a call's tag says: tagged, untagged, or leaked (shown beside every event). */
export type TagStatus = "tagged" | "untagged" | "leaked";

export function tagStatus(c: { actionName: string; isLeak: boolean }): TagStatus {
  if (c.isLeak) return "leaked";
  return c.actionName === UNTAGGED ? "untagged" : "tagged";
}
