// Which part of the system a handoff's verdict points at: the agent said something the data
// does not hold (agent), the recorder or its setup wrote the evidence wrongly
// (instrumentation), only the trusted-endpoint registry refused the claim (configuration), or
// the evaluator never finished (not_evaluated). Kept with each handoff (cause_category) and
// used by alert rules that only want one kind of CAUGHT. Pure.
import type { CauseCode } from "./causes";
import { NOT_EVALUATED } from "../records/handoff";

/** The categories a cause can point at (alert rules filter CAUGHT verdicts by these). */
export const CAUSE_CATEGORIES = ["agent", "instrumentation", "configuration"] as const;
export type CauseCategory = (typeof CAUSE_CATEGORIES)[number];

/** A handoff's category: its primary cause's, or not_evaluated when the evaluator never finished. */
export const HANDOFF_CATEGORIES = [...CAUSE_CATEGORIES, "not_evaluated"] as const;
export type HandoffCategory = (typeof HANDOFF_CATEGORIES)[number];

export const CATEGORY_OF: Record<CauseCode, CauseCategory> = {
  value_mismatch: "agent",
  leaked_tag: "instrumentation",
  // An LLM call inside the tool's scoped block shares its call_ref (generation B's tag leak).
  shared_call_ref: "instrumentation",
  untagged_call: "instrumentation",
  tool_never_ran: "instrumentation",
  agent_id_mismatch: "instrumentation",
  wrong_row: "instrumentation",
  untrusted_endpoint: "configuration",
};

/**
 * The primary cause (causes come most telling first). An untrusted endpoint is usually the
 * symptom of another cause (a leaked tag names the LLM's URL), so it is primary only when it
 * stands alone. Null when the analysis found no cause.
 */
export function primaryCause<C extends { code: CauseCode }>(causes: readonly C[]): C | null {
  return causes.find((c) => c.code !== "untrusted_endpoint") ?? causes[0] ?? null;
}

/** The category of the primary cause; null when the analysis found no cause. */
export function causeCategory(causes: readonly { code: CauseCode }[]): CauseCategory | null {
  const primary = primaryCause(causes);
  return primary ? CATEGORY_OF[primary.code] : null;
}

/** What is stored with a handoff: its primary cause and category. */
export function handoffCategory(evaluatorOutcome: string | null, causes: readonly { code: CauseCode }[]): { cause: CauseCode | null; category: HandoffCategory | null } {
  const cause = primaryCause(causes)?.code ?? null;
  // The evaluator judged nothing: whatever Verdict finds, this verdict was never given.
  if (evaluatorOutcome === NOT_EVALUATED) return { cause, category: "not_evaluated" };
  return { cause, category: cause ? CATEGORY_OF[cause] : null };
}
