// "blocks" counts tool calls the gate blocked, not callback invocations (one call blocked on
// three edges is one block). The gate evaluation a decision belongs to is found by the
// grouping rules of analysis/policy-groups.ts; the first invocation of each blocked
// evaluation carries blocks_call, so agent_stats and the pages count those rows.
//
// Evaluations never span a pause longer than EVALUATION_GAP_US between two decisions of one
// call, so the decisions a batch adds can only change the evaluations of their own "chain"
// (the run of that call's decisions with no longer pause): those chains are read whole
// (lib/db/queries/policy-blocks.ts), regrouped, and the marks that changed are written.
// Part of the ingest write path; deletion (lib/retention/deletion.ts) runs it too.
import type { DbHandle } from "../db/client";
import { decisionsInWindows, setMarks, type ChainDecision } from "../db/queries/policy-blocks";
import { EVALUATION_GAP_US, groupGateEvaluations, type GateInvocation } from "../analysis/policy-groups";

interface Scope {
  callKey: string;
  lo: number;
  hi: number;
}

/** A tool call the gate now blocks (its first invocation's decision), for the alert outbox. */
export interface BlockedCall {
  id: string;
  agentId: string;
  source: string;
  callKey: string;
  ts: number;
  createdAt: string;
  toolName: string;
  policyName: string | null;
  reason: string | null;
}

/** The whole chains around these decisions: widened until no stored decision of the call lies within the gap of a window's edge. */
async function readChains(h: DbHandle, decisions: readonly { callKey: string; ts: number }[]): Promise<ChainDecision[]> {
  const scopes = new Map<string, Scope>();
  for (const d of decisions) {
    const s = scopes.get(d.callKey);
    if (!s) scopes.set(d.callKey, { callKey: d.callKey, lo: d.ts - EVALUATION_GAP_US, hi: d.ts + EVALUATION_GAP_US });
    else {
      s.lo = Math.min(s.lo, d.ts - EVALUATION_GAP_US);
      s.hi = Math.max(s.hi, d.ts + EVALUATION_GAP_US);
    }
  }
  let pending = [...scopes.values()];
  const byKey = new Map<string, ChainDecision[]>();
  // Each round reads only the scopes that grew; a call decided every second for a day is one long chain, read in growing steps.
  for (let round = 0; pending.length > 0 && round < 64; round++) {
    const got = await decisionsInWindows(h, pending.map((s) => [s.callKey, s.lo, s.hi]));
    for (const s of pending) byKey.set(s.callKey, []);
    for (const r of got) byKey.get(r.callKey)!.push(r);
    const next: Scope[] = [];
    for (const s of pending) {
      const inScope = byKey.get(s.callKey)!;
      if (inScope.length === 0) continue;
      let first = inScope[0].ts;
      let last = inScope[0].ts;
      for (const r of inScope) {
        if (r.ts < first) first = r.ts;
        if (r.ts > last) last = r.ts;
      }
      const grown = { ...s };
      // The window must reach a gap past its outermost rows (doubling, so a long chain costs few rounds).
      if (first - EVALUATION_GAP_US < s.lo) grown.lo = Math.min(first - EVALUATION_GAP_US, s.lo - (s.hi - s.lo));
      if (last + EVALUATION_GAP_US > s.hi) grown.hi = Math.max(last + EVALUATION_GAP_US, s.hi + (s.hi - s.lo));
      if (grown.lo !== s.lo || grown.hi !== s.hi) {
        scopes.set(s.callKey, grown);
        next.push(grown);
      }
    }
    pending = next;
  }
  return [...byKey.values()].flat();
}

/** Which decisions should carry blocks_call: the first invocation of every blocked evaluation. */
export function blockMarks(rows: readonly GateInvocation[]): Set<string> {
  return new Set(groupGateEvaluations(rows).filter((g) => g.blocked).map((g) => g.invocations[0].id));
}

/**
 * Re-marks the chains of these (newly stored) decisions; returns each agent's change of blocks.
 * `blocked` (when given) receives the tool calls that became blocked: per call, as many as its
 * count of blocked evaluations grew, so a mark that only moves to an earlier invocation (a
 * decision that arrived late) alerts nobody twice.
 */
export async function refreshBlockedCalls(h: DbHandle, decisions: readonly { callKey: string; ts: number }[], blocked?: BlockedCall[]): Promise<Map<string, number>> {
  const delta = new Map<string, number>();
  if (decisions.length === 0) return delta;
  const rows = await readChains(h, decisions);
  const marks = blockMarks(rows);
  const changed = rows.filter((r) => marks.has(r.id) !== r.blocksCall);
  if (changed.length === 0) return delta;
  await setMarks(h, changed.map((r) => [r.id, !r.blocksCall]));
  for (const r of changed) delta.set(r.agentId, (delta.get(r.agentId) ?? 0) + (r.blocksCall ? -1 : 1));
  if (blocked) {
    const grown = new Map<string, number>();
    for (const r of changed) grown.set(r.callKey, (grown.get(r.callKey) ?? 0) + (r.blocksCall ? -1 : 1));
    for (const r of changed) {
      if (r.blocksCall || (grown.get(r.callKey) ?? 0) <= 0) continue;
      grown.set(r.callKey, grown.get(r.callKey)! - 1);
      blocked.push({ id: r.id, agentId: r.agentId, source: r.source, callKey: r.callKey, ts: r.ts, createdAt: r.createdAt, toolName: r.toolName, policyName: r.policyName, reason: r.outcome?.reason ?? null });
    }
  }
  return delta;
}

