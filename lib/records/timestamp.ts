// Evidence timestamps keep their microseconds (Python writes them), so they are parsed
// here by hand rather than through Date, which keeps milliseconds only.

export interface Instant {
  /** ISO-8601 UTC with six fractional digits, e.g. 2026-11-21T07:35:31.123456Z */
  iso: string;
  /** microseconds since the Unix epoch */
  us: number;
}

const PATTERN =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199; // keeps microseconds below 2^53

/** Parses ISO-8601 / PostgreSQL timestamp text. No offset means UTC. Returns an error message when invalid. */
export function parseTimestamp(text: string): Instant | string {
  const m = PATTERN.exec(text.trim());
  if (!m) return "must be an ISO-8601 timestamp, e.g. 2026-11-21T07:35:31.123456Z (no offset means UTC)";
  const [, y, mo, d, h, mi, s = "0", frac = "", off] = m;
  const year = +y, month = +mo, day = +d, hour = +h, minute = +mi, second = +s;
  if (year < MIN_YEAR || year > MAX_YEAR) return `year ${year} is out of range (${MIN_YEAR}–${MAX_YEAR})`;
  if (month < 1 || month > 12) return `month ${mo} does not exist`;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return `day ${d} does not exist in ${y}-${mo}`;
  if (hour > 23 || minute > 59 || second > 59) return "time of day is out of range";
  let offsetMinutes = 0;
  if (off && off.toUpperCase() !== "Z") {
    const sign = off[0] === "-" ? -1 : 1;
    const digits = off.slice(1).replace(":", "");
    const oh = +digits.slice(0, 2), om = digits.length > 2 ? +digits.slice(2) : 0;
    if (oh > 23 || om > 59) return "time zone offset is out of range";
    offsetMinutes = sign * (oh * 60 + om);
  }
  const micros = Number((frac + "000000").slice(0, 6)); // nanoseconds beyond µs are dropped
  const ms = Date.UTC(year, month - 1, day, hour, minute, second) - offsetMinutes * 60_000;
  const us = ms * 1000 + micros;
  if (us < 0 || new Date(ms).getUTCFullYear() > MAX_YEAR) return "timestamp is out of range";
  return { us, iso: formatMicros(us) };
}

export function formatMicros(us: number): string {
  const ms = Math.floor(us / 1000);
  const micros = String(us - ms * 1000).padStart(3, "0");
  return new Date(ms).toISOString().replace("Z", micros + "Z");
}
