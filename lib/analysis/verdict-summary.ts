// The one sentence at the top of a handoff's page: what the primary cause is and whose fault
// the verdict is ("Leaked tag: the claim 4.2 holds against tool call int_…; this CAUGHT is an
// instrumentation fault"). Pure: built from the analysis the page already has.
import type { Json } from "../records/json";
import type { Cause, CauseCode } from "./causes";
import { CATEGORY_OF, primaryCause, type CauseCategory } from "./cause-category";
import type { Outcome } from "./claim-modes";

export const CAUSE_TITLES: Record<CauseCode, string> = {
  leaked_tag: "Leaked tag",
  shared_call_ref: "LLM call shares the tool's call_ref",
  tool_never_ran: "Tool never ran",
  untagged_call: "Untagged call",
  agent_id_mismatch: "agent_id mismatch",
  wrong_row: "Wrong row",
  untrusted_endpoint: "Untrusted endpoint",
  value_mismatch: "Value mismatch",
};

const FAULT: Record<CauseCategory, string> = {
  agent: "the agent's fault (the claim is wrong)",
  instrumentation: "an instrumentation fault (the recorder or its setup, not the agent)",
  configuration: "a configuration fault (the trusted-endpoint snapshot, not the agent)",
};

export interface SummaryInput {
  /** the outcome the list shows: the evaluator's, or Verdict's when none was sent */
  shownOutcome: string | null;
  evaluatorOutcome: string | null;
  verdictOutcome: Outcome;
  causes: Cause[];
  claims: { claimed_value: Json | null; causes: Cause[]; against_tool_call: { intercept_id: string; result: Outcome } | null }[];
}

export interface VerdictSummary {
  cause: CauseCode | null;
  category: CauseCategory | "not_evaluated" | null;
  sentence: string;
}

const quote = (v: Json | null) => {
  const s = v === null ? "null" : typeof v === "string" ? `"${v}"` : JSON.stringify(v);
  return s.length > 60 ? s.slice(0, 57) + "..." : s;
};

export function summarizeVerdict(h: SummaryInput): VerdictSummary {
  const primary = primaryCause(h.causes);
  const shown = h.shownOutcome ?? h.verdictOutcome;
  if (h.evaluatorOutcome === "NOT_EVALUATED") {
    const found = primary ? `; Verdict's own check says ${h.verdictOutcome} (${CAUSE_TITLES[primary.code].toLowerCase()})` : `; Verdict's own check says ${h.verdictOutcome}`;
    return { cause: primary?.code ?? null, category: "not_evaluated", sentence: `Not evaluated: the evaluator never finished, so it judged nothing${found}.` };
  }
  if (!primary) {
    const sentence = shown === "PASS"
      ? "PASS: every claim holds against the row it rests on."
      : h.verdictOutcome === "PASS"
        ? `The evaluator said ${shown}, but Verdict's recomputation finds every claim holds (PASS); nothing recorded explains the ${shown}.`
        : `${shown}: Verdict found no likely cause; see the claims below.`;
    return { cause: null, category: null, sentence };
  }
  const category = CATEGORY_OF[primary.code];
  const claim = h.claims.find((c) => c.causes.some((x) => x.code === primary.code)) ?? null;
  const against = claim?.against_tool_call ?? null;
  const title = CAUSE_TITLES[primary.code];
  let what: string;
  if ((primary.code === "leaked_tag" || primary.code === "shared_call_ref" || primary.code === "wrong_row") && claim && against) {
    what = `the claim ${quote(claim.claimed_value)} ${against.result === "PASS" ? "holds" : "fails"} against tool call ${against.intercept_id}`;
    if (against.result !== "PASS") what += ` too, so the agent's value is wrong as well`;
  } else {
    // The cause's own first sentence, without its trailing period.
    what = primary.explanation.split(/(?<=\.)\s/)[0].replace(/\.$/, "");
    what = what.charAt(0).toLowerCase() + what.slice(1);
  }
  const fault = shown === "PASS" ? `the verdict is PASS, but it rests on ${category === "instrumentation" ? "an instrumentation fault" : FAULT[category]}` : `this ${shown} is ${FAULT[category]}`;
  return { cause: primary.code, category, sentence: `${title}: ${what}; ${fault}.` };
}
