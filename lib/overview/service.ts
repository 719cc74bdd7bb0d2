// The overview page's figures and its "needs attention": the rows of lib/db/queries/overview.ts
// arranged into the shape of lib/api-contract/overview.ts (CAUGHT per day for the last days,
// categories in a fixed order).
import type { ClientHandle } from "../db/client";
import { attentionRows, overviewCounts as counts, type AttentionHandoffRow, type OverviewCounts } from "../db/queries/overview";
import type { AttentionHandoff, NeedsAttention } from "../api-contract/overview";
import { formatMicros } from "../records/timestamp";

const DAY_US = 86_400_000_000;
const CATEGORY_ORDER = ["agent", "instrumentation", "configuration", "not_evaluated", "none"];

/** The headline figures of the overview page (filler rows excluded), from agent_stats. */
export function overviewCounts(conn: ClientHandle): Promise<OverviewCounts> {
  return counts(conn);
}

const toHandoff = (r: AttentionHandoffRow): AttentionHandoff => ({
  id: r.id, agent_id: r.agent_id, task: r.task, created_at: r.created_at,
  category: r.cause_category, primary_cause: r.primary_cause,
  evaluator_outcome: r.evaluator_outcome, verdict_outcome: r.verdict_outcome,
});

/** What a reviewer should look at next, as of `nowMicros`: CAUGHT per day for the last `days` UTC days. */
export async function needsAttention(conn: ClientHandle, nowMicros: number, days = 14): Promise<NeedsAttention> {
  const today = Math.floor(nowMicros / DAY_US);
  const rows = await attentionRows(conn, today - days + 1);
  const byDay = new Map<number, Record<string, number>>();
  const categories = new Set<string>();
  for (const r of rows.caughtPerDay) {
    categories.add(r.category);
    const dayCounts = byDay.get(r.day) ?? {};
    dayCounts[r.category] = (dayCounts[r.category] ?? 0) + r.n;
    byDay.set(r.day, dayCounts);
  }
  return {
    days: Array.from({ length: days }, (_, i) => today - days + 1 + i).map((d) => ({ day: formatMicros(d * DAY_US).slice(0, 10), counts: byDay.get(d) ?? {} })),
    categories: [...categories].sort((a, b) => CATEGORY_ORDER.indexOf(a) - CATEGORY_ORDER.indexOf(b)),
    unreviewed: { count: rows.unreviewed.count, newest: rows.unreviewed.newest.map(toHandoff) },
    disagreements: { count: rows.disagreements.count, newest: rows.disagreements.newest.map(toHandoff) },
    leaks: rows.leaks,
  };
}
