// The handoff list's filter from a page's URL: the list and the handoff page (previous / next
// within the filter) read the same parameters as GET /api/v1/handoffs.
import { EVALUATOR_OUTCOMES, type EvaluatorOutcome } from "../records/handoff";
import { HANDOFF_CATEGORIES, type HandoffCategory } from "../analysis/cause-category";
import { CAUSE_CODES, type CauseCode } from "../analysis/causes";
import { REVIEW_STATES, type ReviewState } from "../records/review";
import { isCalendarDay } from "../records/calendar-day";

type SearchParams = Record<string, string | string[] | undefined>;

const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) || undefined;
/** A value from the list, or undefined: an unknown value in the URL is ignored rather than failing the page. */
function oneOf<T extends string>(v: string | string[] | undefined, allowed: readonly T[]): T | undefined {
  const s = one(v);
  return s && (allowed as readonly string[]).includes(s) ? (s as T) : undefined;
}

/** The list's filter from the page's URL (the handoff page reads the same, for previous / next). */
export function handoffFilterOf(sp: SearchParams) {
  return {
    outcome: oneOf<EvaluatorOutcome>(sp.outcome, EVALUATOR_OUTCOMES),
    agentId: one(sp.agent_id),
    category: oneOf<HandoffCategory | "none">(sp.category, [...HANDOFF_CATEGORIES, "none"]),
    cause: oneOf<CauseCode>(sp.cause, CAUSE_CODES),
    review: oneOf<ReviewState | "unreviewed">(sp.review, [...REVIEW_STATES, "unreviewed"]),
    agreement: oneOf<"differs">(sp.agreement, ["differs"]),
    day: isCalendarDay(one(sp.day)) ? one(sp.day) : undefined,
  };
}

