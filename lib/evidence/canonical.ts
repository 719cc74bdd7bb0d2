// The canonical form of a stored record, hashed for tamper evidence (docs/evidence.md).
// Pure and dialect-independent: the same record read from SQLite or PostgreSQL, or from an
// export bundle, hashes the same. Only the record's evidence as received and stored is
// covered; columns Verdict derives and may refresh later (kind, is_leak, verdict_outcome, …)
// are not, so reclassifying or re-linking never looks like tampering.
import { hash } from "node:crypto";

import { RECORD_TABLES, type RecordTable } from "../records/record-tables";

export { RECORD_TABLES, type RecordTable };

/** s: text; i: integer (hashed as its decimal digits); b: boolean; body: text hashed on its own (SHA-256), so a bundle may carry the hash instead of the body (redaction) and still verify. */
export type ColumnType = "s" | "i" | "b" | "body";

/** The hashed columns of each table, in canonical order. Adding a column here is a new format version. */
export const HASHED_COLUMNS: Record<RecordTable, readonly (readonly [string, ColumnType])[]> = {
  intercepts: [
    ["id", "s"], ["source", "s"], ["source_id", "s"], ["dedupe_key", "s"], ["generation", "s"], ["agent_id", "s"],
    ["action_name", "s"], ["source_url", "s"], ["method", "s"], ["host", "s"], ["path", "s"],
    ["request_payload", "body"], ["raw_response", "body"], ["response_hash", "s"], ["created_at", "s"], ["ts", "i"],
    ["call_ref", "s"], ["run_id", "s"], ["intercept_index", "i"], ["extra", "body"], ["ingested_at", "i"],
  ],
  policy_decisions: [
    ["id", "s"], ["source", "s"], ["source_id", "s"], ["dedupe_key", "s"], ["agent_id", "s"], ["created_at", "s"], ["ts", "i"],
    ["shape", "s"], ["tool_name", "s"], ["call_key", "s"], ["edge_source", "s"], ["edge_target", "s"],
    ["source_depth", "i"], ["target_depth", "i"], ["policy_name", "s"], ["passed", "b"], ["message", "s"], ["fail_closed", "b"],
    ["callback_error", "s"], ["batch_index", "i"], ["action", "s"], ["reason", "s"], ["confirmation", "s"],
    ["context", "body"], ["callback_result", "body"], ["decision", "body"], ["extra", "body"], ["ingested_at", "i"],
  ],
  handoffs: [
    ["id", "s"], ["source", "s"], ["source_id", "s"], ["dedupe_key", "s"], ["agent_id", "s"], ["created_at", "s"], ["ts", "i"],
    ["generation", "s"], ["run_id", "s"], ["task", "s"], ["claim_count", "i"], ["payload", "body"], ["evaluation", "body"],
    ["evaluator_outcome", "s"], ["extra", "body"], ["ingested_at", "i"],
  ],
};

export const RECORD_FORMAT = "verdict-record-v1";

/** A body as a bundle may carry it when redacted: its SHA-256 (of the UTF-8 text) and size. */
export interface RedactedValue {
  redacted: true;
  sha256: string;
  bytes: number;
}

export const isRedactedValue = (v: unknown): v is RedactedValue =>
  typeof v === "object" && v !== null && (v as RedactedValue).redacted === true && typeof (v as RedactedValue).sha256 === "string" && /^[0-9a-f]{64}$/.test((v as RedactedValue).sha256);

export const sha256 = (text: string | Buffer): string => hash("sha256", text, "hex");

export class CanonicalFormError extends Error {}

function intText(v: unknown, column: string): string {
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number" && Number.isSafeInteger(v)) return String(v);
  if (typeof v === "string" && /^-?\d+$/.test(v)) return BigInt(v).toString();
  throw new CanonicalFormError(`${column}: not an integer`);
}

function boolValue(v: unknown, column: string): boolean {
  if (v === true || v === 1 || v === 1n || v === "1" || v === "t" || v === "true") return true;
  if (v === false || v === 0 || v === 0n || v === "0" || v === "f" || v === "false") return false;
  throw new CanonicalFormError(`${column}: not a boolean`);
}

/** The value as it enters the canonical text: NULL and an absent column alike are null. */
function canonicalValue(v: unknown, type: ColumnType, column: string): string | boolean | null {
  if (v === null || v === undefined) return null;
  switch (type) {
    case "s":
      if (typeof v !== "string") throw new CanonicalFormError(`${column}: not text`);
      return v;
    case "i":
      return intText(v, column);
    case "b":
      return boolValue(v, column);
    case "body":
      if (typeof v === "string") return `sha256:${sha256(v)}`;
      if (isRedactedValue(v)) return `sha256:${v.sha256}`;
      throw new CanonicalFormError(`${column}: not text`);
  }
}

/** The canonical text of a record: JSON array [format, table, value per hashed column in order]. */
export function canonicalRecord(table: RecordTable, row: Record<string, unknown>): string {
  const cols = HASHED_COLUMNS[table];
  const out: (string | boolean | null)[] = [RECORD_FORMAT, table];
  for (const [name, type] of cols) out.push(canonicalValue(row[name], type, name));
  return JSON.stringify(out);
}

/** The record's hash (hex SHA-256 of its canonical text): its leaf in the batch's Merkle tree. */
export const recordHash = (table: RecordTable, row: Record<string, unknown>): string => sha256(canonicalRecord(table, row));

const camel = (snake: string) => snake.replace(/_(\w)/g, (_, c: string) => c.toUpperCase());
const CAMEL: Record<RecordTable, string[]> = {
  intercepts: HASHED_COLUMNS.intercepts.map(([n]) => camel(n)),
  policy_decisions: HASHED_COLUMNS.policy_decisions.map(([n]) => camel(n)),
  handoffs: HASHED_COLUMNS.handoffs.map(([n]) => camel(n)),
};

/**
 * The record hash of a prepared row (camelCase fields, as ingest's prepare step makes them):
 * computed there, on the ingest worker's core, off the request thread. Same result as
 * recordHash on the stored row (the integrity tests check it on both databases).
 */
export function recordHashOfRow(table: RecordTable, prepared: object): string {
  const row = prepared as Record<string, unknown>;
  const cols = HASHED_COLUMNS[table];
  const names = CAMEL[table];
  const out: (string | boolean | null)[] = [RECORD_FORMAT, table];
  for (let i = 0; i < cols.length; i++) out.push(canonicalValue(row[names[i]], cols[i][1], cols[i][0]));
  return sha256(JSON.stringify(out));
}

const plans = new WeakMap<readonly string[], Map<RecordTable, number[]>>();

/**
 * The record hash straight from an insert's values (in `columns` order), without building a row
 * object: the ingest hot path. Same result as recordHash(table, rowObject(columns, values)).
 */
export function recordHashOfValues(table: RecordTable, columns: readonly string[], values: readonly unknown[]): string {
  let byTable = plans.get(columns);
  if (!byTable) plans.set(columns, (byTable = new Map()));
  let plan = byTable.get(table);
  if (!plan) byTable.set(table, (plan = HASHED_COLUMNS[table].map(([name]) => columns.indexOf(name))));
  const cols = HASHED_COLUMNS[table];
  const out: (string | boolean | null)[] = [RECORD_FORMAT, table];
  for (let i = 0; i < cols.length; i++) out.push(canonicalValue(plan[i] < 0 ? undefined : values[plan[i]], cols[i][1], cols[i][0]));
  return sha256(JSON.stringify(out));
}

/** The values of `columns` (a table's insert order) as a row object, for hashing at ingest. */
export function rowObject(columns: readonly string[], values: readonly unknown[]): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < columns.length; i++) row[columns[i]] = values[i];
  return row;
}

/** A row's hashed columns as a bundle carries them: integers as numbers (strings beyond 2^53), booleans, text; bodies as text or, redacted, as their hash and size. */
export function bundleRow(table: RecordTable, row: Record<string, unknown>, redact: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, type] of HASHED_COLUMNS[table]) {
    const v = row[name];
    if (v === null || v === undefined) out[name] = null;
    else if (type === "i") {
      const t = intText(v, name);
      const n = Number(t);
      out[name] = Number.isSafeInteger(n) ? n : t;
    } else if (type === "b") out[name] = boolValue(v, name);
    else if (type === "body" && redact) out[name] = { redacted: true, sha256: sha256(v as string), bytes: Buffer.byteLength(v as string, "utf8") } satisfies RedactedValue;
    else out[name] = v;
  }
  return out;
}
