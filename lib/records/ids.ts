// Verdict's own ids, for every table: time first, then random bits. In the base layer so the
// database layer's own rows (the alert outbox, messages and attempts) get them too.
import { randomBytes } from "node:crypto";

/** Records, shares, keys, reviews; alert events (ale), messages (dlv) and attempts (att). */
export type IdPrefix = "int" | "pol" | "hof" | "shr" | "key" | "rev" | "ale" | "dlv" | "att";

const RANDOM_BYTES = 9;

/**
 * The time part of an id: milliseconds since the epoch in 9 base-36 digits (0-9, a-z sort alike
 * in ASCII and in the usual collations), so that ids made later sort later.
 */
export function idTime(ms: number): string {
  return Math.floor(ms).toString(36).padStart(9, "0");
}

/**
 * Verdict's own ids: a type prefix, the time (idTime) and 72 random bits, URL-safe; ids of one
 * millisecond differ by those (a 1,000-record batch collides with odds of about 1 in 10^16). The
 * time comes first so each new row's id lands at the end of the id index instead of at a random
 * place in it: with random ids every insert dirtied another index page, and SQLite's commits and
 * row inserts grew with the store (docs/performance.md, "What still grows").
 */
export function newId(prefix: IdPrefix): string {
  return `${prefix}_${idTime(Date.now())}${randomBytes(RANDOM_BYTES).toString("base64url")}`;
}

/** `count` ids like newId's from one call to the random source (one syscall per batch, not per row). */
export function idMaker(count: number): (prefix: IdPrefix) => string {
  const pool = randomBytes(RANDOM_BYTES * Math.max(1, count));
  const time = idTime(Date.now());
  let at = 0;
  return (prefix) => {
    if (at + RANDOM_BYTES > pool.length) return newId(prefix);
    const id = `${prefix}_${time}${pool.subarray(at, at + RANDOM_BYTES).toString("base64url")}`;
    at += RANDOM_BYTES;
    return id;
  };
}
