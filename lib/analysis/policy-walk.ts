// The older policy gate's walk, replayed from the grounding result its callbacks receive.
// Those releases pass every callback of one tool call the same flat context
// {tool_name, call_args, call_kwargs, grounding}: nothing in it names the edge. But the
// gate walks trace.result.primitives → depths → relata (APPLIES_TO only) → policies in
// list order and calls one callback per policy that triggers, so the n-th invocation of
// one gate evaluation belongs to the n-th such policy of that walk (vre ≤ 0.2,
// PolicyGate._collect_violations). Pure: JSON in, the walk out.
import type { Json } from "../records/json";

export type Cardinality = "single" | "multiple";

export interface WalkedEdge {
  sourceName: string;
  targetName: string;
  sourceDepth: number | null;
  targetDepth: number | null;
}

export interface WalkedPolicy {
  name: string;
  requiresConfirmation: boolean;
  triggerCardinality: Cardinality | null;
  callback: string | null;
  confirmationMessage: string | null;
  metadata: Record<string, Json>;
  edge: WalkedEdge;
}

const obj = (v: Json | undefined): Record<string, Json> | null => (v && typeof v === "object" && !Array.isArray(v) ? v : null);
const arr = (v: Json | undefined): Json[] => (Array.isArray(v) ? v : []);
const str = (v: Json | undefined): string | null => (typeof v === "string" ? v : null);
const depth = (v: Json | undefined): number | null => (typeof v === "number" && Number.isInteger(v) ? v : null);

/**
 * Every policy on an APPLIES_TO relatum of the grounding's trace, in the gate's walk order;
 * null when the grounding carries no trace (the gate then evaluates nothing).
 */
export function walkPolicies(grounding: Json | undefined): WalkedPolicy[] | null {
  const primitives = obj(obj(obj(grounding)?.trace)?.result)?.primitives;
  if (!Array.isArray(primitives)) return null;
  const nameOf = new Map<string, string>();
  for (const p of primitives) {
    const o = obj(p);
    if (o && typeof o.id === "string" && typeof o.name === "string") nameOf.set(o.id, o.name);
  }
  const out: WalkedPolicy[] = [];
  for (const p of primitives) {
    const primitive = obj(p);
    if (!primitive) continue;
    const sourceName = str(primitive.name) ?? "?";
    for (const d of arr(primitive.depths)) {
      const level = depth(obj(d)?.level);
      for (const r of arr(obj(d)?.relata)) {
        const relatum = obj(r);
        if (!relatum || relatum.relation_type !== "APPLIES_TO") continue;
        const targetId = str(relatum.target_id);
        for (const pol of arr(relatum.policies)) {
          const policy = obj(pol);
          if (!policy) continue;
          const tc = policy.trigger_cardinality;
          out.push({
            name: str(policy.name) ?? "?",
            // pydantic defaults, as Policy declares them
            requiresConfirmation: typeof policy.requires_confirmation === "boolean" ? policy.requires_confirmation : true,
            triggerCardinality: tc === "single" || tc === "multiple" ? tc : null,
            callback: str(policy.callback),
            confirmationMessage: str(policy.confirmation_message),
            metadata: obj(policy.metadata) ?? {},
            edge: { sourceName, targetName: (targetId && nameOf.get(targetId)) ?? targetId ?? "?", sourceDepth: level, targetDepth: depth(relatum.target_depth) },
          });
        }
      }
    }
  }
  return out;
}

/**
 * The policies whose callback the gate calls, in order, for a cardinality: it skips a policy
 * that does not require confirmation or whose trigger_cardinality differs, and calls only a
 * policy that names a callback. (The guard passes no cardinality unless the tool declares
 * one; the gate then evaluates as "single".)
 */
export function invokedPolicies(walk: readonly WalkedPolicy[], cardinality: Cardinality): WalkedPolicy[] {
  return walk.filter((p) => p.requiresConfirmation && (p.triggerCardinality === null || p.triggerCardinality === cardinality) && p.callback !== null);
}

export type Reconstruction =
  | { ok: true; policies: WalkedPolicy[] }
  | { ok: false; reason: string };

/**
 * The policies of the first `count` invocations of one evaluation. Which cardinality the
 * guard used is not in the context: where the two walks differ within those invocations,
 * the count decides when exactly one walk has that many callbacks (and the evaluation ran
 * to its end: `complete`); otherwise the edges cannot be recovered.
 */
export function reconstructInvocations(grounding: Json | undefined, count: number, complete: boolean): Reconstruction {
  const walk = walkPolicies(grounding);
  if (!walk) return { ok: false, reason: "the grounding result carries no trace to walk" };
  const single = invokedPolicies(walk, "single");
  const multiple = invokedPolicies(walk, "multiple");
  const fits = (list: WalkedPolicy[]) => (complete ? list.length === count : list.length >= count);
  const same = single.length >= count && multiple.length >= count && single.slice(0, count).every((p, i) => p === multiple[i]);
  if (same) return { ok: true, policies: single.slice(0, count) };
  const candidates = [single, multiple].filter(fits);
  if (candidates.length === 1) return { ok: true, policies: candidates[0].slice(0, count) };
  if (candidates.length === 0) {
    const most = Math.max(single.length, multiple.length);
    return { ok: false, reason: `${count} invocations, but the gate's walk of this grounding calls ${most === 0 ? "no callback" : `at most ${most}`}` };
  }
  return { ok: false, reason: "the walk depends on the call's cardinality (single or multiple), which the context does not record" };
}

/** How many callbacks one evaluation of this grounding makes at most (null: unknown). */
export function maxInvocations(grounding: Json | undefined): number | null {
  const walk = walkPolicies(grounding);
  if (!walk) return null;
  return Math.max(invokedPolicies(walk, "single").length, invokedPolicies(walk, "multiple").length);
}
