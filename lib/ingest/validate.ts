// One raw record → its normalized row, or field-level errors with paths like records.3.created_at.
import type { z } from "zod";
import { RECORD_TYPES, recordSchemas, type RecordType } from "../records/ingest-request";
import { findJsonProblem } from "../records/json-limits";
import { normalizeIntercept, type NormalizedIntercept } from "../records/intercept";
import { normalizePolicyDecision, type NormalizedPolicyDecision } from "../records/policy-decision";
import { normalizeHandoff, type NormalizedHandoff } from "../records/handoff";
import { isPlainObject } from "../records/json";

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

export function validateRecord(value: unknown, index: number, sensitiveKeys?: readonly string[]): Validated {
  const at = `records.${index}`;
  if (!isPlainObject(value)) return { index, errors: [{ path: at, message: "must be a JSON object with a \"type\"" }] };
  const type = value.type;
  if (typeof type !== "string" || !(RECORD_TYPES as readonly string[]).includes(type)) {
    return { index, errors: [{ path: `${at}.type`, message: `must be one of ${RECORD_TYPES.join(", ")}` }] };
  }
  // Before the schema: limits that protect storage and the pages (json-limits.ts).
  const problem = findJsonProblem(value);
  if (problem) return { index, errors: [{ path: problem.path ? `${at}.${problem.path}` : at, message: problem.message }] };
  const parsed = recordSchemas[type as RecordType].safeParse(value);
  if (!parsed.success) return { index, errors: issuesToErrors(at, parsed.error.issues) };
  switch (type as RecordType) {
    case "intercept":
      return { index, type: "intercept", row: normalizeIntercept(parsed.data as never) };
    case "policy_decision":
      return { index, type: "policy_decision", row: normalizePolicyDecision(parsed.data as never, sensitiveKeys) };
    case "handoff":
      return { index, type: "handoff", row: normalizeHandoff(parsed.data as never, value.payload) };
  }
}
