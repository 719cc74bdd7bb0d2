// One handoff, fully explained: every claim resolved, compared, diffed and trust-gated,
// the overall recomputed outcome, and the likely causes of each non-PASS claim. Pure.
import { isPlainObject, type Json } from "../records/json";
import { combineOutcomes, quoteJson, stripped, type Outcome, type Quote } from "./claim-modes";
import { evaluateAgainst, readClaims, resolveClaim, type HandoffSubject, type RecordedCall, type ResolvedBy } from "./claims";
import { findCauses, type Cause } from "./causes";
import { jsonDiff, type DiffEntry } from "./json-diff";
import { checkTrustGate, normalizeUrlForTrust, untrustedFromEvaluatorErrors, urlFailsGate, type TrustGateResult } from "./trust-gate";

export interface ClaimAnalysis {
  index: number;
  generation: "2.0" | "call_ref";
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
    by_query_record_id: string | null;
    by_call_ref: string | null;
    by_loader: string | null;
    tool_call_id: string | null;
    disagreements: string[];
  };
  value_at_path: { found: boolean; value: Json | null; reason: string | null };
  diff: DiffEntry[];
  trust_gate: { url: string | null; passed: boolean };
  result: Outcome;
  detail: string | null;
  /** the claim checked against the tool call, when the resolved row is another row */
  against_tool_call: { intercept_id: string; result: Outcome; detail: string | null } | null;
  causes: Cause[];
}

export interface HandoffAnalysis {
  outcome: Outcome;
  trust_gate: TrustGateResult;
  claims: ClaimAnalysis[];
  /** every claim's causes, merged by code */
  causes: Cause[];
}

export function analyzeHandoff(handoff: HandoffSubject, evaluation: Json | null, calls: RecordedCall[], { quote = quoteJson }: { quote?: Quote } = {}): HandoffAnalysis {
  const claims = readClaims(handoff.payload);
  const payload = isPlainObject(handoff.payload) ? handoff.payload : {};
  const registry = Array.isArray(payload.trusted_endpoint_registry) ? payload.trusted_endpoint_registry.filter((u): u is string => typeof u === "string") : [];
  const evaluatorErrors = isPlainObject(evaluation) && Array.isArray(evaluation.errors) ? evaluation.errors : [];

  const resolutions = claims.map((c) => resolveClaim(handoff, c, calls));
  // The gate checks the claim URL; a call_ref claim has none, so its intercept's URL stands in.
  const urls = claims.map((c, i) => c.url ?? resolutions[i].resolved?.sourceUrl ?? null);
  const gate = checkTrustGate(urls, registry, untrustedFromEvaluatorErrors(evaluatorErrors));

  const analyses = claims.map((claim, i): ClaimAnalysis => {
    const r = resolutions[i];
    const evaluation = evaluateAgainst(claim, r.resolved, quote);
    const againstToolCall = r.toolCall && r.resolved && r.toolCall.id !== r.resolved.id ? evaluateAgainst(claim, r.toolCall, quote) : null;
    const gateFails = urlFailsGate(urls[i], gate);
    const result: Outcome = gateFails ? "CAUGHT" : evaluation.result;
    const detail = gateFails ? (gate.errors[0] ?? null) + (evaluation.result !== "PASS" && evaluation.detail ? `; ${evaluation.detail}` : "") : evaluation.detail;
    const at = evaluation.atPath;
    const base = claim.mode === "verbatim" ? "$" : (claim.jsonPath ?? "$");
    const recorded = at.found ? at.value : undefined;
    // The call_ref generation compares stripped strings, so the diff shows those strings.
    const diff = claim.generation === "call_ref"
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
        by_query_record_id: r.byRecordId?.id ?? null,
        by_call_ref: r.byCallRef?.id ?? null,
        by_loader: r.byLoader?.id ?? null,
        tool_call_id: r.toolCall?.id ?? null,
        disagreements: r.disagreements,
      },
      value_at_path: at.found ? { found: true, value: at.value, reason: null } : { found: false, value: null, reason: at.reason },
      diff,
      trust_gate: { url: normalizeUrlForTrust(urls[i]) || null, passed: !gateFails },
      result,
      detail,
      against_tool_call: againstToolCall && r.toolCall ? { intercept_id: r.toolCall.id, result: againstToolCall.result, detail: againstToolCall.detail } : null,
      causes: findCauses({ handoff, claim, resolution: r, evaluation, againstToolCall, gate, calls, quote }, result),
    };
  });

  const outcome = combineOutcomes([...analyses.map((a) => a.result), ...(gate.passed ? [] : (["CAUGHT"] as Outcome[]))]);
  return { outcome, trust_gate: gate, claims: analyses, causes: mergeCauses(analyses.flatMap((a) => a.causes)) };
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
