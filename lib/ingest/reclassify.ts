// Re-classifies stored calls with the LLM host list stored with the data (a deployment adds
// its LLM gateway after a million rows): kind and provider per intercept, the tag-leak links
// that depend on them, the handoff outcomes that rest on them, and the agents' counts —
// batch by batch, each batch one transaction that keeps agent_stats exact (the same deltas
// as ingest), so the server can keep ingesting meanwhile. Then the blocked-tool-call marks
// of the policy decisions are recounted with the full grouping rules.
import type { ClientHandle, DbHandle } from "../db/client";
import { writeTransaction } from "../db/transaction";
import { bool, num } from "../db/sql";
import { classifyCall, parseLlmHostList, type CallKind } from "../analysis/classify-call";
import { lockAgents, relinkLeaks, type LeakScope } from "../db/queries/leaks";
import { refreshVerdictOutcomes } from "./outcomes";
import { applyAgentStats, type StatCount } from "../db/queries/agent-stats";
import { StatsDeltas } from "./stats";
import { readDecisionsOfCalls, setMarks } from "../db/queries/policy-blocks";
import { blockMarks } from "./blocked-calls";
import { storedLlmHosts } from "../db/queries/settings";
import { callKeyPage, countRows, currentKinds, interceptPage, setKinds } from "../db/queries/reclassify";

export interface ReclassifyProgress {
  phase: "intercepts" | "policy decisions";
  done: number;
  total: number;
  changed: number;
}

export interface ReclassifyResult {
  checked: number;
  changed: number;
  /** per kind: how many calls became that kind */
  becameKind: Partial<Record<CallKind, number>>;
  leakLinksChanged: number;
  decisionsChecked: number;
  blockMarksChanged: number;
}

const KIND_COUNT: Partial<Record<CallKind, StatCount>> = { llm_call: "llm_calls", tool_call: "tool_calls", untagged_call: "untagged_calls" };

const inTransaction = <T>(h: ClientHandle, fn: (tx: DbHandle) => Promise<T>): Promise<T> => writeTransaction(h, fn, { timeout: 600_000 });

export async function reclassifyAll(
  h: ClientHandle,
  options: { batchSize?: number; onProgress?: (p: ReclassifyProgress) => void; signal?: AbortSignal } = {},
): Promise<ReclassifyResult> {
  const batchSize = options.batchSize ?? 5000;
  const result: ReclassifyResult = { checked: 0, changed: 0, becameKind: {}, leakLinksChanged: 0, decisionsChecked: 0, blockMarksChanged: 0 };
  const total = await countRows(h, "intercepts");
  let after = "";
  for (;;) {
    if (options.signal?.aborted) return result;
    const rows = await interceptPage(h, after, batchSize);
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    result.checked += rows.length;
    await inTransaction(h, async (tx) => {
      // Read inside the transaction: a list changed meanwhile applies to what is left.
      const hosts = parseLlmHostList(await storedLlmHosts(tx));
      const changes = rows
        .map((r) => ({ r, next: classifyCall({ agentId: r.agent_id, actionName: r.action_name, sourceUrl: r.source_url }, hosts) }))
        .filter(({ r, next }) => next.kind !== r.kind || next.llmProvider !== (r.llm_provider ?? null));
      if (changes.length === 0) return;
      await lockAgents(tx, changes.map((c) => c.r.agent_id));
      // Re-read under the lock: only rows still as read are changed (ingest never rewrites kinds, but another reclassify might).
      const ids = changes.map((c) => c.r.id);
      const current = await currentKinds(tx, ids);
      const real = changes.filter((c) => current.get(c.r.id)?.kind === c.r.kind);
      if (real.length === 0) return;
      const stats = new StatsDeltas();
      // A leak whose LLM call stops being one goes with the update (relinking only visits LLM calls).
      for (const c of real) {
        if (c.next.kind !== "llm_call" && bool(current.get(c.r.id)?.is_leak)) {
          stats.bump(c.r.agent_id, "leaks", -1);
          result.leakLinksChanged++;
        }
      }
      await setKinds(tx, real.map(({ r, next }) => ({ id: r.id, kind: next.kind, llmProvider: next.llmProvider })));
      const scopes = new Map<string, LeakScope>();
      for (const { r, next } of real) {
        const from = KIND_COUNT[r.kind as CallKind];
        const to = KIND_COUNT[next.kind];
        if (from) stats.bump(r.agent_id, from, -1);
        if (to) stats.bump(r.agent_id, to, 1);
        result.becameKind[next.kind] = (result.becameKind[next.kind] ?? 0) + 1;
        if (r.action_name === "unknown") continue;
        const key = `${r.agent_id}\u0000${r.action_name}`;
        const ts = num(r.ts);
        const s = scopes.get(key);
        if (!s) scopes.set(key, { agentId: r.agent_id, actionName: r.action_name, fromTs: ts });
        else s.fromTs = Math.min(s.fromTs, ts);
      }
      for (const [agentId, by] of await relinkLeaks(tx, [...scopes.values()])) {
        stats.bump(agentId, "leaks", by);
        result.leakLinksChanged += Math.abs(by);
      }
      for (const [agentId, by] of await refreshVerdictOutcomes(tx, [], real.map((c) => ({ agentId: c.r.agent_id, ts: num(c.r.ts) })))) stats.bump(agentId, "caught", by);
      await applyAgentStats(tx, stats.list());
      result.changed += real.length;
    });
    options.onProgress?.({ phase: "intercepts", done: result.checked, total, changed: result.changed });
  }
  await recountBlockedCalls(h, result, options);
  return result;
}

/** Every policy decision's blocks_call mark, regrouped call by call with the full rules. */
async function recountBlockedCalls(h: ClientHandle, result: ReclassifyResult, options: { batchSize?: number; onProgress?: (p: ReclassifyProgress) => void; signal?: AbortSignal }): Promise<void> {
  const total = await countRows(h, "policy_decisions");
  const keysPerBatch = Math.max(1, Math.floor((options.batchSize ?? 5000) / 10));
  let after = "";
  for (;;) {
    if (options.signal?.aborted) return;
    const keys = await callKeyPage(h, after, keysPerBatch);
    if (keys.length === 0) break;
    after = keys[keys.length - 1];
    await inTransaction(h, async (tx) => {
      const rows = await readDecisionsOfCalls(tx, keys);
      await lockAgents(tx, rows.map((r) => r.agentId));
      const marks = blockMarks(rows);
      const changed = rows.filter((r) => marks.has(r.id) !== r.blocksCall);
      result.decisionsChecked += rows.length;
      if (changed.length === 0) return;
      await setMarks(tx, changed.map((r) => [r.id, !r.blocksCall]));
      const stats = new StatsDeltas();
      for (const r of changed) stats.bump(r.agentId, "blocks", r.blocksCall ? -1 : 1);
      await applyAgentStats(tx, stats.list());
      result.blockMarksChanged += changed.length;
    });
    options.onProgress?.({ phase: "policy decisions", done: result.decisionsChecked, total, changed: result.blockMarksChanged });
  }
}
