// One raw record → its normalized row, or field-level errors with paths like records.3.created_at.
import type { z } from "zod";
import { RECORD_TYPES, recordSchemas, type RecordType } from "../api-contract/ingest";
import { findJsonProblem } from "../records/json-limits";
import { normalizeIntercept, type NormalizedIntercept } from "../records/intercept";
import { normalizePolicyDecision, type NormalizedPolicyDecision } from "../records/policy-decision";
import { normalizeHandoff, type NormalizedHandoff } from "../records/handoff";
import { isPlainObject } from "../records/json";
import { scrubRecord, scrubRulesFor, type ScrubRules } from "../records/scrub";
import { checkResponseHash } from "../analysis/response-hash";

export interface FieldError {
  path: string;
  message: string;
}

export type ValidRecord =
  | { index: number; type: "intercept"; row: NormalizedIntercept }
  | { index: number; type: "policy_decision"; row: NormalizedPolicyDecision }
  | { index: number; type: "handoff"; row: NormalizedHandoff };

export type Validated = ValidRecord | { index: number; errors: FieldError[] };

export function issuesToErrors(prefix: string, issues: z.core.$ZodIssue[]): FieldError[] {
  return issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join("."), message: i.message }));
}

/** `rules: null` when the caller knows the record holds no secret word (prepare.ts checked the body). */
export function validateRecord(raw: unknown, index: number, rules: ScrubRules | null = scrubRulesFor(process.env)): Validated {
  const at = `records.${index}`;
  if (!isPlainObject(raw)) return { index, errors: [{ path: at, message: "must be a JSON object with a \"type\"" }] };
  const type = raw.type;
  if (typeof type !== "string" || !(RECORD_TYPES as readonly string[]).includes(type)) {
    return { index, errors: [{ path: `${at}.type`, message: `must be one of ${RECORD_TYPES.join(", ")}` }] };
  }
  // Before the schema: limits that protect storage and the pages (json-limits.ts).
  const problem = findJsonProblem(raw);
  if (problem) return { index, errors: [{ path: problem.path ? `${at}.${problem.path}` : at, message: problem.message }] };
  // Secrets go before anything reads the record, so no stored field can hold one (scrub.ts).
  const { value, removed } = rules ? scrubRecord(raw, rules) : { value: raw, removed: [] };
  const valid = validScrubbed(value, index, type as RecordType, at);
  if (!removed.length || "errors" in valid) return valid;
  valid.row.extra = noteRemoved(valid.row.extra, removed, type === "intercept" ? hashAtIngest(raw, removed) : null);
  return valid;
}

function validScrubbed(value: Record<string, unknown>, index: number, type: RecordType, at: string): Validated {
  const parsed = recordSchemas[type as RecordType].safeParse(value);
  if (!parsed.success) return { index, errors: issuesToErrors(at, parsed.error.issues) };
  switch (type as RecordType) {
    case "intercept":
      return { index, type: "intercept", row: normalizeIntercept(parsed.data as never) };
    case "policy_decision":
      return { index, type: "policy_decision", row: normalizePolicyDecision(parsed.data as never) };
    case "handoff":
      return { index, type: "handoff", row: normalizeHandoff(parsed.data as never, value.payload) };
  }
}

/**
 * The record says what was removed (paths in `extra.removed_secrets`), and for a response that
 * lost a secret, whether the recorder's response_hash matched the response as it arrived: the
 * stored response can no longer match it, and the intercept's hash check says why.
 */
function noteRemoved(extra: string | null, removed: string[], hash: { status: string; variant?: string } | null): string {
  const prior = extra ? (JSON.parse(extra) as Record<string, unknown>) : {};
  return JSON.stringify({ ...prior, removed_secrets: removed, ...(hash ? { response_hash_at_ingest: hash } : {}) });
}

function hashAtIngest(raw: Record<string, unknown>, removed: string[]): { status: string; variant?: string } | null {
  if (!removed.some((p) => p === "raw_response" || p.startsWith("raw_response.") || p.startsWith("raw_response "))) return null;
  if (typeof raw.response_hash !== "string" || raw.raw_response === undefined || raw.raw_response === null) return null;
  const text = typeof raw.raw_response === "string" ? raw.raw_response : JSON.stringify(raw.raw_response);
  const check = checkResponseHash(text, raw.response_hash);
  return check.status === "match" ? { status: "match", variant: check.variant } : { status: check.status };
}
