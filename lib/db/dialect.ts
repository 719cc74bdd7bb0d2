// Every place where SQLite's and PostgreSQL's SQL differ, one function each, so the query
// modules (lib/db/queries) write their statements once and never branch on the dialect for
// SQL text. (Which driver runs a statement is transaction.ts's, sqlite-transaction.ts's and
// pg-transaction.ts's; `?` placeholders become `$n` in sql.ts.)
import type { Dialect } from "./config";

// ---- booleans ----

/** A boolean as a parameter value: better-sqlite3 binds no booleans (1/0 there). */
export function boolParam(dialect: Dialect, v: boolean): boolean | number {
  return dialect === "sqlite" ? (v ? 1 : 0) : v;
}

/** A boolean literal in SQL text. */
export function boolSql(dialect: Dialect, v: boolean): string {
  return dialect === "sqlite" ? (v ? "1" : "0") : v ? "true" : "false";
}

// ---- JSON parameters: one form on both databases ----
// A list of rows goes in as ONE parameter, a JSON array of arrays (each row its values in a
// fixed order), and is unpacked in the statement: json_each on SQLite, jsonb_array_elements
// on PostgreSQL (parsed once, in C; arrays rather than objects keyed by column: less to
// parse and send, measured on the insert path, lib/db/queries/insert.ts).

export interface JsonRows {
  /** the FROM item: the rows of the parameter, named `alias` */
  from: string;
  /** the i-th value of a row; `type` (an SQL type) casts it on PostgreSQL, where ->> gives text */
  col(i: number, type?: string): string;
}

/** A JSON array-of-arrays parameter as rows. */
export function jsonRows(dialect: Dialect, alias: string): JsonRows {
  if (dialect === "sqlite") return { from: `json_each(?) AS ${alias}`, col: (i) => `${alias}.value ->> ${i}` };
  return {
    from: `jsonb_array_elements(?::jsonb) AS ${alias}`,
    col: (i, type) => (type && type !== "text" ? `CAST(${alias} ->> ${i} AS ${type})` : `${alias} ->> ${i}`),
  };
}

/** A JSON array of strings as rows of one text value. */
export function jsonTexts(dialect: Dialect, alias: string): { from: string; value: string } {
  return dialect === "sqlite"
    ? { from: `json_each(?) AS ${alias}`, value: `${alias}.value` }
    : { from: `jsonb_array_elements_text(?::jsonb) AS ${alias}`, value: alias };
}

/**
 * `column IN (the ids)`, with `idListParam` as its one parameter. PostgreSQL takes a text
 * array, which the planner turns into primary-key look-ups (a JSON subquery became a scan of
 * the whole table per batch).
 */
export function inIdList(dialect: Dialect, column: string): string {
  return dialect === "sqlite" ? `${column} IN (SELECT value FROM json_each(?))` : `${column} = ANY(?::text[])`;
}

export function idListParam(dialect: Dialect, ids: string[]): unknown {
  return dialect === "sqlite" ? JSON.stringify(ids) : ids;
}

/** A field of a JSON object stored in a text column; `integer`: read as a 64-bit integer. */
export function jsonTextField(dialect: Dialect, column: string, field: string, as: "text" | "integer" = "text"): string {
  if (dialect === "sqlite") return as === "integer" ? `CAST(json_extract(${column}, '$.${field}') AS INTEGER)` : `json_extract(${column}, '$.${field}')`;
  return as === "integer" ? `((${column})::json ->> '${field}')::bigint` : `((${column})::json ->> '${field}')`;
}

// ---- expressions ----

/** NULL-aware "differs": SQLite's IS NOT, PostgreSQL's IS DISTINCT FROM. */
export function distinctFrom(dialect: Dialect): string {
  return dialect === "sqlite" ? "IS NOT" : "IS DISTINCT FROM";
}

/** The two-argument minimum and maximum (SQLite's scalar MIN/MAX give NULL if either is NULL). */
export function leastGreatest(dialect: Dialect): [least: string, greatest: string] {
  return dialect === "sqlite" ? ["MIN", "MAX"] : ["LEAST", "GREATEST"];
}

/** Integer division of an integer expression by a positive integer (a time bucket). */
export function intDiv(dialect: Dialect, expr: string, by: number): string {
  return dialect === "sqlite" ? `CAST(${expr} / ${by} AS INTEGER)` : `(${expr} / ${by})`;
}

// ---- locking ----

/**
 * Whether the database takes row and advisory locks. SQLite runs one write transaction at a
 * time already, so what PostgreSQL needs a lock for is serialized there without one.
 */
export function takesLocks(dialect: Dialect): boolean {
  return dialect === "postgresql";
}

/** A row-locking clause (" FOR UPDATE", " FOR SHARE", " FOR UPDATE SKIP LOCKED") where there are row locks; "" on SQLite. */
export function lockClause(dialect: Dialect, clause: "FOR UPDATE" | "FOR SHARE" | "FOR UPDATE SKIP LOCKED"): string {
  return takesLocks(dialect) ? ` ${clause}` : "";
}

// ---- where the schemas differ ----

/**
 * The id of the intercept with a dedupe key (a subquery on `key`, an SQL expression), of the
 * given kind. SQLite: intercepts' own unique index. PostgreSQL: intercepts are partitioned by
 * month and their keys kept in intercept_dedupe (migration 0015), whose ts names the one
 * partition to look in.
 */
export function interceptIdByDedupeKey(dialect: Dialect, key: string, kind: string): string {
  return dialect === "sqlite"
    ? `SELECT t."id" FROM "intercepts" t WHERE t."dedupe_key" = ${key} AND t."kind" = '${kind}'`
    : `SELECT t."id" FROM "intercept_dedupe" k JOIN "intercepts" t ON t."id" = k."id" AND t."ts" = k."ts" WHERE k."dedupe_key" = ${key} AND t."kind" = '${kind}'`;
}
