// A UTC day as the handoff list's `day` filter takes it: YYYY-MM-DD naming a day that exists
// (2026-02-30 does not). One check for the API's schema and the page's URL.
export function isCalendarDay(s: string | undefined): s is string {
  return !!s && /^\d{4}-\d{2}-\d{2}$/.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
}
