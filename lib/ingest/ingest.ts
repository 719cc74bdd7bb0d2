// validate → normalize → classify → store, all valid records of a request in one transaction.
import { randomBytes } from "node:crypto";
import { getDb, type Db } from "../db/client";
import type { Dialect } from "../db/config";
import { storeBatch, type Batch } from "../db/queries/ingest";
import { classifyCall, parseLlmHostList } from "../analysis/classify-call";
import { sensitiveKeysFromEnv } from "../records/sensitive";
import type { IngestResponse } from "../records/ingest-request";
import { validateRecord, type FieldError, type ValidRecord } from "./validate";

export interface RawRecord {
  index: number;
  value: unknown;
  /** set when the record could not even be parsed (an NDJSON line that is not JSON) */
  error?: string;
}

/** Verdict's own ids: a type prefix and 96 random bits, URL-safe. */
export function newId(prefix: "int" | "pol" | "hof" | "shr" | "key"): string {
  return `${prefix}_${randomBytes(12).toString("base64url")}`;
}

export interface IngestOptions {
  db?: Db;
  dialect?: Dialect;
  env?: NodeJS.ProcessEnv;
}

export async function ingestRecords(raw: RawRecord[], options: IngestOptions = {}): Promise<IngestResponse> {
  const { db, dialect } = options.db && options.dialect ? { db: options.db, dialect: options.dialect } : getDb();
  const { batch, size, valid, rejected } = prepareBatch(raw, options.env ?? process.env);
  const accepted = size ? await storeBatch(db, dialect, batch) : 0;
  return { accepted, duplicates: valid - accepted, rejected };
}

export interface PreparedBatch {
  batch: Batch;
  /** records in the batch (valid, without in-request repeats) */
  size: number;
  /** valid records, repeats included */
  valid: number;
  rejected: { index: number; errors: FieldError[] }[];
}

/** Everything ingest does before storage: validate, normalize, drop in-request repeats, classify. */
export function prepareBatch(raw: RawRecord[], env: NodeJS.ProcessEnv = process.env): PreparedBatch {
  const sensitive = sensitiveKeysFromEnv(env);
  const llmHosts = parseLlmHostList(env.VERDICT_LLM_HOSTS);

  const rejected: { index: number; errors: FieldError[] }[] = [];
  const valid: ValidRecord[] = [];
  for (const r of raw) {
    if (r.error) {
      rejected.push({ index: r.index, errors: [{ path: `records.${r.index}`, message: r.error }] });
      continue;
    }
    const v = validateRecord(r.value, r.index, sensitive);
    if ("errors" in v) rejected.push(v);
    else valid.push(v);
  }

  // A record sent twice in one request is stored once; the second counts as a duplicate.
  const seen = new Set<string>();
  const unique = valid.filter((v) => {
    const key = `${v.type}\u0000${v.row.dedupeKey}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });

  const now = Date.now() * 1000;
  const batch: Batch = {
    intercepts: unique.flatMap((v) =>
      v.type === "intercept" ? [{ id: newId("int"), ...v.row, ...classifyCall(v.row, llmHosts), ingestedAt: now }] : [],
    ),
    policyDecisions: unique.flatMap((v) => (v.type === "policy_decision" ? [{ id: newId("pol"), ...v.row, ingestedAt: now }] : [])),
    handoffs: unique.flatMap((v) => (v.type === "handoff" ? [{ id: newId("hof"), ...v.row, ingestedAt: now }] : [])),
  };
  return { batch, size: unique.length, valid: valid.length, rejected };
}
