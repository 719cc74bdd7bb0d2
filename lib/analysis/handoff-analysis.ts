// One handoff, fully explained: every claim resolved, compared, diffed and trust-gated,
// the overall recomputed outcome, and the likely causes of each non-PASS claim. Pure.
import { isPlainObject, type Json } from "../records/json";
import { combineOutcomes, quoteJson, stripped, type Outcome, type Quote } from "./claim-modes";
import { evaluateAgainst, readClaims, resolveClaim, type HandoffSubject, type RecordedCall, type ResolvedBy } from "./claims";
import { findCauses, type Cause } from "./causes";
import { jsonDiff, type DiffEntry } from "./json-diff";
import { checkTrustGate, trustForm, untrustedFromEvaluatorErrors, urlFailsGate, type TrustGateResult, type TrustMatch } from "./trust-gate";
import { compareEntry } from "./sourcerykit-modes";
import { payloadGeneration } from "../records/handoff";

/**
 * Whose rules a handoff is judged by (docs/records.md, Handoffs):
 *   A — provably-sdk 0.2.0 / contract 2.0: trust gate (exact snapshot match) failing → CAUGHT;
 *       any claim CAUGHT → CAUGHT; else any ERROR → ERROR; else PASS (no claims: PASS).
 *   B — sourcerykit 1.0.1: trust gate failing → CAUGHT (per_claim empty); any evaluator error
 *       (build_errors included) → ERROR, before CAUGHT; zero claims verified → ERROR; then any
 *       CAUGHT → CAUGHT; any ERROR → ERROR; else PASS.
 */
export type OutcomeRules = "A" | "B";

export function outcomeRulesOf(generation: "2.0" | "call_ref" | "B"): OutcomeRules {
  return generation === "2.0" ? "A" : "B";
}

/** The overall outcome under one generation's rules. */
export function resolveOutcome(rules: OutcomeRules, claimResults: Outcome[], opts: { gatePassed: boolean; errors: string[] }): Outcome {
  if (!opts.gatePassed) return "CAUGHT";
  if (rules === "A") return combineOutcomes(claimResults);
  if (opts.errors.length) return "ERROR";
  if (claimResults.length === 0) return "ERROR";
  return combineOutcomes(claimResults);
}

export interface ClaimAnalysis {
  index: number;
  generation: "2.0" | "call_ref" | "B";
  action_name: string | null;
  verification_mode: string;
  url: string | null;
  claimed_value: Json | null;
  json_path: string | null;
  expected_json_schema: Json | null;
  range_min: number | null;
  range_max: number | null;
  query_record_id: string | null;
  call_ref: string | null;
  resolution: {
    intercept_id: string | null;
    resolved_by: ResolvedBy | null;
    by_intercept_id: string | null;
    by_query_record_id: string | null;
    by_call_ref: string | null;
    by_loader: string | null;
    tool_call_id: string | null;
    /** every row carrying the claim's call_ref, first inserted first (more than one: the call_ref is shared) */
    call_ref_rows: string[];
    disagreements: string[];
  };
  /** generation B: each {path, value} entry against the row the claim was checked against */
  entries: { path: string; value: Json; sourcerykit_ref: string | null; recorded: Json | null; found: boolean; equal: boolean }[] | null;
  value_at_path: { found: boolean; value: Json | null; reason: string | null };
  diff: DiffEntry[];
  /** `checked_by`: "evaluator" when the evaluator applies the gate to this claim, "verdict" when only Verdict's own check does */
  trust_gate: { url: string | null; passed: boolean; checked_by: "evaluator" | "verdict" | null };
  result: Outcome;
  detail: string | null;
  /** the claim checked against the tool call, when the resolved row is another row */
  against_tool_call: { intercept_id: string; result: Outcome; detail: string | null } | null;
  causes: Cause[];
}

export interface HandoffAnalysis {
  outcome: Outcome;
  /** whose outcome rules apply */
  rules: OutcomeRules;
  /** the evaluator's trust gate, recomputed (only the claims the evaluator applies it to) */
  trust_gate: TrustGateResult;
  /**
   * Verdict's own check, beyond the evaluator's: the URL of the row each claim without a URL
   * rests on, against the snapshot under the same matching rule. Never changes the outcome.
   */
  verdict_trust_check: TrustGateResult | null;
  /** evaluator-level errors Verdict counts under rule B (the payload's build_errors) */
  errors: string[];
  claims: ClaimAnalysis[];
  /** every claim's causes, merged by code */
  causes: Cause[];
}

export function analyzeHandoff(handoff: HandoffSubject, evaluation: Json | null, calls: RecordedCall[], { quote = quoteJson }: { quote?: Quote } = {}): HandoffAnalysis {
  const claims = readClaims(handoff.payload);
  const payload = isPlainObject(handoff.payload) ? handoff.payload : {};
  const registry = Array.isArray(payload.trusted_endpoint_registry) ? payload.trusted_endpoint_registry.filter((u): u is string => typeof u === "string") : [];
  const evaluatorErrors = isPlainObject(evaluation) && Array.isArray(evaluation.errors) ? evaluation.errors : [];

  const generation = payloadGeneration(payload);
  const rules = outcomeRulesOf(generation);
  const match: TrustMatch = rules === "B" ? "prefix" : "exact";
  const resolutions = claims.map((c) => resolveClaim(handoff, c, calls));
  // The evaluator gates only the URLs claims carry (request_payload.url); 1.0.1 claims carry none.
  const urls = claims.map((c) => c.url);
  const gate = checkTrustGate(urls, registry, untrustedFromEvaluatorErrors(evaluatorErrors), match);
  // Verdict's own check: where a claim carries no URL, the URL of the row it rests on.
  const ownUrls = claims.map((c, i) => (c.url ? null : (resolutions[i].resolved?.sourceUrl ?? null)));
  const own = ownUrls.some(Boolean) ? checkTrustGate(ownUrls, registry, [], match) : null;
  const errors = rules === "B" && Array.isArray(payload.build_errors) ? payload.build_errors.map((e) => (typeof e === "string" ? e : JSON.stringify(e))) : [];

  const analyses = claims.map((claim, i): ClaimAnalysis => {
    const r = resolutions[i];
    const evaluation = evaluateAgainst(claim, r.resolved, quote);
    const againstToolCall = r.toolCall && r.resolved && r.toolCall.id !== r.resolved.id ? evaluateAgainst(claim, r.toolCall, quote) : null;
    const gateFails = urlFailsGate(urls[i], gate);
    const ownFails = own !== null && ownUrls[i] !== null && urlFailsGate(ownUrls[i], own);
    const result: Outcome = gateFails ? "CAUGHT" : evaluation.result;
    const detail = gateFails ? (gate.errors[0] ?? null) + (evaluation.result !== "PASS" && evaluation.detail ? `; ${evaluation.detail}` : "") : evaluation.detail;
    const at = evaluation.atPath;
    const base = claim.mode === "verbatim" ? "$" : (claim.jsonPath ?? "$");
    const recorded = at.found ? at.value : undefined;
    // The call_ref generation compares stripped strings, so the diff shows those strings.
    const diff = claim.generation !== "2.0"
      ? jsonDiff(recorded === undefined ? undefined : stripped(recorded), stripped(claim.claimedValue), base)
      : jsonDiff(recorded, claim.claimedValue, base);
    return {
      index: claim.index,
      generation: claim.generation,
      action_name: claim.actionName,
      verification_mode: claim.mode,
      url: claim.url,
      claimed_value: claim.claimedValue ?? null,
      json_path: claim.jsonPath,
      expected_json_schema: claim.expectedSchema ?? null,
      range_min: claim.rangeMin,
      range_max: claim.rangeMax,
      query_record_id: claim.queryRecordId,
      call_ref: claim.callRef,
      resolution: {
        intercept_id: r.resolved?.id ?? null,
        resolved_by: r.resolvedBy,
        by_intercept_id: r.byInterceptId?.id ?? null,
        by_query_record_id: r.byRecordId?.id ?? null,
        by_call_ref: r.byCallRef?.id ?? null,
        by_loader: r.byLoader?.id ?? null,
        tool_call_id: r.toolCall?.id ?? null,
        call_ref_rows: r.callRefRows.map((c) => c.id),
        disagreements: r.disagreements,
      },
      entries: claim.entries
        ? claim.entries.map((e) => {
            const c = r.resolved?.response != null ? compareEntry(e, r.resolved.response) : null;
            return { path: e.path, value: e.value, sourcerykit_ref: e.ref, recorded: c?.recorded.found ? c.recorded.value : null, found: c?.recorded.found ?? false, equal: c?.equal ?? false };
          })
        : null,
      value_at_path: at.found ? { found: true, value: at.value, reason: null } : { found: false, value: null, reason: at.reason },
      diff,
      trust_gate: urls[i]
        ? { url: trustForm(urls[i], match) || null, passed: !gateFails, checked_by: "evaluator" }
        : { url: trustForm(ownUrls[i], match) || null, passed: !ownFails, checked_by: ownUrls[i] ? "verdict" : null },
      result,
      detail,
      against_tool_call: againstToolCall && r.toolCall ? { intercept_id: r.toolCall.id, result: againstToolCall.result, detail: againstToolCall.detail } : null,
      causes: findCauses({ handoff, claim, resolution: r, evaluation, againstToolCall, gate, ownGate: own, calls, quote }, result),
    };
  });

  const outcome = resolveOutcome(rules, analyses.map((a) => a.result), { gatePassed: gate.passed, errors });
  return { outcome, rules, trust_gate: gate, verdict_trust_check: own, errors, claims: analyses, causes: mergeCauses(analyses.flatMap((a) => a.causes)) };
}

/**
 * The intercepts the handoff's page shows: each claim's resolved row and tool call, the row it
 * was also checked against, and the records its causes name. A share of the handoff reaches
 * exactly these, not every candidate the analysis looked at.
 */
export function citedInterceptIds(analysis: HandoffAnalysis): Set<string> {
  const ids = new Set<string>();
  for (const c of analysis.claims) {
    for (const id of [c.resolution.intercept_id, c.resolution.tool_call_id, c.against_tool_call?.intercept_id]) if (id) ids.add(id);
    // Rows sharing the claim's call_ref are listed (and linked) on the page when there are several.
    if (c.resolution.call_ref_rows.length > 1) c.resolution.call_ref_rows.forEach((id) => ids.add(id));
    for (const cause of c.causes) {
      cause.ids.forEach((id) => ids.add(id));
      if (cause.tool_intercept_id) ids.add(cause.tool_intercept_id);
    }
  }
  return ids;
}

function mergeCauses(causes: Cause[]): Cause[] {
  const byCode = new Map<string, Cause>();
  for (const c of causes) {
    const seen = byCode.get(c.code);
    if (!seen) byCode.set(c.code, { ...c, ids: [...c.ids] });
    else seen.ids = [...new Set([...seen.ids, ...c.ids])];
  }
  return [...byCode.values()];
}
