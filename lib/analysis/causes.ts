// Why a claim was not PASS, in the words of docs/records.md: the likely causes of an unexpected
// CAUGHT, each with the ids of the records that show it and one sentence a tired engineer
// understands. Pure: works on the candidate intercepts the caller fetched.
import type { Json } from "../records/json";
import { quoteJson, type Quote } from "./claim-modes";
import { llmProviderOf, UNTAGGED } from "./classify-call";
import type { Claim, ClaimEvaluation, HandoffSubject, RecordedCall, Resolution } from "./claims";
import { normalizeUrlForTrust, trustForm, type TrustGateResult } from "./trust-gate";

export const CAUSE_CODES = ["leaked_tag", "shared_call_ref", "tool_never_ran", "untagged_call", "agent_id_mismatch", "wrong_row", "untrusted_endpoint", "value_mismatch"] as const;
export type CauseCode = (typeof CAUSE_CODES)[number];

export interface Cause {
  code: CauseCode;
  /** Verdict ids of the records that show it (intercepts; the handoff itself when nothing was recorded) */
  ids: string[];
  explanation: string;
  /** for leaked_tag and wrong_row: the tool call the claim should have rested on */
  tool_intercept_id?: string | null;
}

export interface CauseContext {
  handoff: HandoffSubject;
  claim: Claim;
  resolution: Resolution;
  evaluation: ClaimEvaluation;
  /** the result of the claim's mode against the tool call, when that is a different row */
  againstToolCall: ClaimEvaluation | null;
  gate: TrustGateResult;
  /** Verdict's own trust check (rows of claims that carry no URL); null when there was none */
  ownGate?: TrustGateResult | null;
  /** every candidate intercept the caller fetched */
  calls: RecordedCall[];
  /** how values are quoted in explanations (a redacted share: hash and size) */
  quote?: Quote;
}

const q = (s: string | null) => `"${s ?? ""}"`;
const short = (v: unknown, quote: Quote = quoteJson) => {
  const text = v === undefined ? "nothing" : quote(v as Json);
  return text.length > 80 ? text.slice(0, 77) + "..." : text;
};

/**
 * Generation B's tag leak: the row a claim rests on is an LLM call that carries the tool
 * call's call_ref (it ran inside the tool's scoped block, before or after the tool's fetch).
 * Reported whatever the claim's result: the evaluator compared the wrong row.
 */
function sharedCallRef(ctx: CauseContext): Cause | null {
  const { claim, resolution: r } = ctx;
  if (claim.callRef === null || !r.resolved || r.resolved.kind !== "llm_call" || r.resolved.callRef !== claim.callRef) return null;
  const llm = r.resolved;
  const tool = r.callRefRows.find((c) => c.kind === "tool_call") ?? null;
  const when = tool ? (llm.ts < tool.ts || (llm.ts === tool.ts && llm.id < tool.id) ? "before" : "after") : null;
  const against = ctx.againstToolCall;
  const verdict = !tool
    ? "No tool call carries this call_ref, so there is no tool row to check the claim against."
    : against === null
      ? ""
      : `Checked against the tool row ${tool.id}, the claim ${against.result === "PASS" ? "holds" : "fails"}${against.result !== "PASS" && against.detail ? ` (${against.detail})` : ""}.`;
  return {
    code: "shared_call_ref",
    ids: [llm.id, ...(tool ? [tool.id] : [])],
    tool_intercept_id: tool?.id ?? null,
    explanation:
      `The claim was checked against ${llm.id}, a ${llm.llmProvider ?? "LLM"} call (${llm.method} ${llm.sourceUrl}) that carries the tool call's call_ref ${claim.callRef}` +
      (tool ? `: it was made inside the tool's scoped block, ${when} the tool's own fetch ${tool.id} (${tool.method} ${tool.sourceUrl}),` : ",") +
      ` and the evaluator reads the first inserted row with that call_ref. ${verdict}`.trimEnd(),
  };
}

/** The likely causes of one claim, most telling first. Empty for a PASS unless the claim rests on the wrong row. */
export function findCauses(ctx: CauseContext, claimResult: "PASS" | "CAUGHT" | "ERROR"): Cause[] {
  const shared = sharedCallRef(ctx);
  if (claimResult === "PASS") return shared ? [shared] : [];
  const { handoff, claim, resolution: r, calls } = ctx;
  const causes: Cause[] = shared ? [shared] : [];
  const urlProvider = claim.url ? llmProviderOf(claim.url) : null;
  const resolvedIsLlm = r.resolved?.kind === "llm_call";
  const toolById = (id: string | null) => (id ? (calls.find((c) => c.id === id) ?? null) : null);

  // 1. A leaked tag: the row (or the URL) the claim rests on is an LLM call carrying the tool's tag.
  if (!shared && claim.generation !== "B" && (urlProvider || resolvedIsLlm) && (urlProvider || (resolvedIsLlm && (r.resolved!.isLeak || (claim.actionName !== null && r.resolved!.actionName === claim.actionName))))) {
    const tool = (resolvedIsLlm ? toolById(r.resolved!.leakToolId) : null) ?? r.toolCall;
    const ids = [...(resolvedIsLlm ? [r.resolved!.id] : []), ...(tool ? [tool.id] : [])];
    const provider = resolvedIsLlm ? (r.resolved!.llmProvider ?? "LLM") : urlProvider;
    const held = ctx.againstToolCall ? ` Checked against that tool call, the claim ${ctx.againstToolCall.result === "PASS" ? "holds" : "fails"}.` : "";
    const use = tool ? `the claim should rest on the tool call ${tool.id}.${held}` : `no tool call tagged ${q(claim.actionName)} was recorded before the handoff.`;
    causes.push({
      code: "leaked_tag",
      ids: ids.length ? ids : [handoff.id],
      tool_intercept_id: tool?.id ?? null,
      explanation: resolvedIsLlm
        ? `The row the claim was checked against (${r.resolved!.id}) is a ${provider} call that inherited the tool tag ${q(claim.actionName)}; ${use}`
        : `The claim names the ${provider} endpoint instead of the tool's URL, so it was built from an LLM call carrying the tool tag ${q(claim.actionName)}; ${use}`,
    });
  }

  const hasLeak = causes.length > 0;
  const rec = r.byRecordId;
  // A call_ref claim rests on the row carrying its call_ref; a 2.0 claim on a tool call with its tag.
  const byCallRefOnly = claim.generation !== "2.0" || (claim.actionName === null && claim.callRef !== null);
  const toolMissing = byCallRefOnly ? !r.byCallRef || r.byCallRef.actionName === UNTAGGED : !r.toolCall;
  // 2. agent_id mismatch: the tag was recorded, under another agent id.
  const otherAgents = calls.filter((c) => c.kind === "tool_call" && claim.actionName !== null && c.actionName === claim.actionName && c.agentId !== handoff.agentId);
  const recordOfOtherAgent = rec && rec.agentId !== handoff.agentId ? rec : null;
  if (toolMissing && (otherAgents.length || recordOfOtherAgent)) {
    const shown = recordOfOtherAgent ?? otherAgents[0];
    causes.push({
      code: "agent_id_mismatch",
      ids: [...new Set([...(recordOfOtherAgent ? [recordOfOtherAgent.id] : []), ...otherAgents.map((c) => c.id)])],
      explanation: `The evaluator looked up agent ${q(handoff.agentId)}, but the recorder wrote ${q(claim.actionName ?? shown.actionName)} calls as agent ${q(shown.agentId)}.`,
    });
  }

  // 3. The wrong row-id helper: query_record_id names another row than the tool's.
  if (!hasLeak && rec && r.toolCall && rec.id !== r.toolCall.id && rec.agentId === handoff.agentId) {
    const held = ctx.againstToolCall?.result === "PASS" ? " Checked against the tool's row, the claim holds." : "";
    causes.push({
      code: "wrong_row",
      ids: [rec.id, r.toolCall.id],
      tool_intercept_id: r.toolCall.id,
      explanation: `query_record_id points at ${rec.id} (${q(rec.actionName)}, ${rec.method} ${rec.sourceUrl}), not at the tool's own row ${r.toolCall.id}.${held}`,
    });
  }

  // 4. No tool call with the tag: untagged (scoping used without `with`), or the tool never ran.
  if (toolMissing && !recordOfOtherAgent && !otherAgents.length) {
    const viaCallRef = r.byCallRef && r.byCallRef.actionName === UNTAGGED ? [r.byCallRef] : [];
    const wanted = new Set([claim.url, ...(claim.url ? [] : ctx.gate.snapshot)].map((u) => normalizeUrlForTrust(u)).filter(Boolean));
    const untagged = [
      ...viaCallRef,
      ...calls.filter((c) => c.agentId === handoff.agentId && c.kind === "untagged_call" && c.ts <= handoff.ts && wanted.has(normalizeUrlForTrust(c.sourceUrl))),
    ];
    const ids = [...new Set(untagged.map((c) => c.id))];
    if (ids.length) {
      causes.push({
        code: "untagged_call",
        ids,
        explanation: `The call was recorded without a tag (action ${q(UNTAGGED)}, ${ids[0]}): the scoping context manager was probably called without \`with\`, so no row carries ${q(claim.actionName ?? claim.callRef)}.`,
      });
    } else if (!hasLeak || !r.toolCall) {
      const tagged = calls.filter((c) => c.agentId === handoff.agentId && claim.actionName !== null && c.actionName === claim.actionName && c.ts <= handoff.ts);
      causes.push({
        code: "tool_never_ran",
        ids: tagged.length ? tagged.map((c) => c.id) : [handoff.id],
        explanation: claim.callRef && claim.generation !== "2.0"
          ? `No recorded intercept carries call_ref ${claim.callRef}: the tool body probably never ran (or ran unrecorded).`
          : `No tool call tagged ${q(claim.actionName)} was recorded for agent ${q(handoff.agentId)} before the handoff: the tool body probably never ran.`,
      });
    }
  }

  // 5. The endpoint is not trusted (an LLM URL is already explained by the leaked tag).
  const rule = ctx.gate.rule ?? "exact";
  const norm = trustForm(claim.url, rule);
  if (!urlProvider && norm && (ctx.gate.missing.includes(norm) || ctx.gate.untrusted.includes(norm))) {
    const inSnapshot = ctx.gate.missing.includes(norm);
    causes.push({
      code: "untrusted_endpoint",
      ids: r.resolved ? [r.resolved.id] : [handoff.id],
      explanation: inSnapshot
        ? `The claim's endpoint ${norm} is not ${rule === "prefix" ? "under any URL prefix of" : "in"} the handoff's trusted snapshot (${ctx.gate.snapshot.join(", ") || "empty"}).`
        : `The evaluator's live registry does not trust ${norm}.`,
    });
  }
  const own = ctx.ownGate;
  const ownUrl = !claim.url && r.resolved ? trustForm(r.resolved.sourceUrl, own?.rule ?? rule) : "";
  if (own && ownUrl && own.missing.includes(ownUrl) && !causes.some((c) => c.code === "shared_call_ref")) {
    causes.push({
      code: "untrusted_endpoint",
      ids: [r.resolved!.id],
      explanation: `Verdict's own check, not the evaluator's (the claim carries no URL, so the evaluator gates nothing): the row it rests on called ${ownUrl}, which is not ${(own.rule ?? rule) === "prefix" ? "under any URL prefix of" : "in"} the trusted snapshot (${own.snapshot.join(", ") || "empty"}).`,
    });
  }

  // 6. An honest comparison against the right row that failed: the value does not match.
  const rightRow = r.resolved && r.resolved.kind !== "llm_call" && (r.resolved.id === r.toolCall?.id || r.resolvedBy === "call_ref" || r.resolvedBy === "intercept_id");
  if (ctx.evaluation.result === "CAUGHT" && rightRow && !causes.some((c) => c.code === "wrong_row")) {
    const at = ctx.evaluation.atPath;
    causes.push({
      code: "value_mismatch",
      ids: [r.resolved!.id],
      explanation: at.found
        ? `The tool's recorded value at ${claim.jsonPath ?? "$"} is ${short(at.value, ctx.quote)}, but the agent claimed ${short(claim.claimedValue, ctx.quote)}${ctx.evaluation.detail && ctx.evaluation.detail !== "value mismatch" ? ` (${ctx.evaluation.detail})` : ""}.`
        : `The tool's recorded response has nothing at ${claim.jsonPath ?? "$"}, but the agent claimed ${short(claim.claimedValue, ctx.quote)}.`,
    });
  }
  return causes;
}
