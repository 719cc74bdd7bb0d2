// Which part of the system a CAUGHT verdict points at, for alert rules that only want one
// kind: the agent said something the data does not hold (agent), the recorder or its setup
// wrote the evidence wrongly (instrumentation), or only the trusted-endpoint registry
// refused the claim (configuration). Pure.
import type { CauseCode } from "./causes";

export const ALERT_CATEGORIES = ["agent", "instrumentation", "configuration"] as const;
export type AlertCategory = (typeof ALERT_CATEGORIES)[number];

const CATEGORY_OF: Record<CauseCode, AlertCategory> = {
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
 * The category of the primary cause (causes come most telling first). An untrusted endpoint
 * is usually the symptom of another cause (a leaked tag names the LLM's URL), so it decides
 * only when it stands alone. Null when the analysis found no cause.
 */
export function alertCategory(causes: readonly { code: CauseCode }[]): AlertCategory | null {
  const primary = causes.find((c) => c.code !== "untrusted_endpoint") ?? causes[0];
  return primary ? CATEGORY_OF[primary.code] : null;
}
