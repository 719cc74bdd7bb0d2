// The one reading of a timeline query (kinds, actions, leaks_only, from, to, cursor, limit)
// into the filter the query takes. The API route and the shared route answer a bad parameter
// with 400; the agent pages (dashboard and shared) ignore a bad filter and show the whole
// timeline, first page at the dashboard's page size.
import type { TimelineFilter } from "../db/queries/timeline";
import { timelineQuerySchema, type TimelineQuery } from "../api-contract/timeline";
import { parseQuery } from "../http/errors";
import { pageParamProblems } from "../http/page-params";
import { PAGE_SIZE } from "../records/timeline-kinds";

/** A timeline filter without its agent: the agent comes from the path, or from the share. */
export type TimelineView = Omit<TimelineFilter, "agentId">;

function toView(q: TimelineQuery): TimelineView {
  return { cursor: q.cursor, limit: q.limit, kinds: q.kinds, actions: q.actions, leaksOnly: q.leaks_only, fromTs: q.from, toTs: q.to };
}

/** An API request's query; a parameter that is not valid throws the 400 that names it. */
export function timelineViewFromQuery(params: URLSearchParams): TimelineView {
  return toView(parseQuery(timelineQuerySchema, params));
}

type Search = Record<string, string | string[] | undefined>;

/**
 * A page URL's filters, for the first page the server renders: cursor and limit are the
 * client's business, and a filter that is not valid (or holds text no database can store)
 * is ignored rather than shown as an error.
 */
export function timelineViewFromPage(search: Search): TimelineView {
  const flat = Object.fromEntries(Object.entries(search).flatMap(([k, v]) => (typeof v === "string" && k !== "cursor" && k !== "limit" ? [[k, v]] : [])));
  const parsed = pageParamProblems({}, search).length ? null : timelineQuerySchema.safeParse(flat);
  const q = parsed?.success ? parsed.data : timelineQuerySchema.parse({});
  return { ...toView(q), limit: PAGE_SIZE };
}
