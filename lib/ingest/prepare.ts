// Everything ingest does before storage, as a pure function of the records: validate,
// normalize, drop in-request repeats, classify. Runs on the request's thread or on the
// ingest worker (prepare-pool.ts); it touches no database.
import type { Batch } from "../db/queries/ingest";
import { classifyCall, normalizeLlmHosts, parseLlmHostList } from "../analysis/classify-call";
import { bodyMayHoldSecret, scrubRulesFor } from "../records/scrub";
import { validateRecord, type FieldError, type ValidRecord } from "./validate";
import { setting } from "../config/server-env";
import { recordHashOfRow } from "../evidence/canonical";
import { idMaker } from "../records/ids";

export interface RawRecord {
  index: number;
  value: unknown;
  /** set when the record could not even be parsed (an NDJSON line that is not JSON) */
  error?: string;
}

export interface PreparedBatch {
  batch: Batch;
  /** records in the batch (valid, without in-request repeats) */
  size: number;
  /** valid records, repeats included */
  valid: number;
  rejected: { index: number; errors: FieldError[] }[];
}

/** `bodyText`: the request body the records were parsed from, when there was one (a cheap test on it can spare the per-record one). */
export function prepareBatch(raw: RawRecord[], env: NodeJS.ProcessEnv = process.env, bodyText?: string): PreparedBatch {
  const rules = scrubRulesFor(env);
  const scrub = bodyText === undefined || bodyMayHoldSecret(bodyText, rules);
  // A first guess at the stored list (the server starts with it in its environment); the
  // store step re-classifies the batch if the list stored with the data says otherwise.
  const hostList = normalizeLlmHosts(setting("VERDICT_LLM_HOSTS", env));
  const llmHosts = parseLlmHostList(hostList);

  const rejected: { index: number; errors: FieldError[] }[] = [];
  const valid: ValidRecord[] = [];
  for (const r of raw) {
    if (r.error) {
      rejected.push({ index: r.index, errors: [{ path: `records.${r.index}`, message: r.error }] });
      continue;
    }
    const v = validateRecord(r.value, r.index, scrub ? rules : null);
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
  const ids = idMaker(unique.length);
  // A fleet calls the same few endpoints over and over: classify each (tag, URL) once per batch.
  const kinds = new Map<string, ReturnType<typeof classifyCall>>();
  const classify = (row: { agentId: string; actionName: string; sourceUrl: string }) => {
    const key = `${row.agentId}\u0000${row.actionName}\u0000${row.sourceUrl}`;
    let k = kinds.get(key);
    if (!k) kinds.set(key, (k = classifyCall(row, llmHosts)));
    return k;
  };
  const batch: Batch = {
    llmHosts: hostList,
    intercepts: unique.flatMap((v) =>
      v.type === "intercept" ? [{ id: ids("int"), ...v.row, ...classify(v.row), ingestedAt: now }] : [],
    ),
    policyDecisions: unique.flatMap((v) => (v.type === "policy_decision" ? [{ id: ids("pol"), ...v.row, ingestedAt: now, batchIndex: v.index }] : [])),
    handoffs: unique.flatMap((v) => (v.type === "handoff" ? [{ id: ids("hof"), ...v.row, ingestedAt: now }] : [])),
  };
  // Tamper evidence (docs/evidence.md): each record's hash, here on the worker's core; ingest stores it.
  for (const r of batch.intercepts) r.recordHash = recordHashOfRow("intercepts", r);
  for (const r of batch.policyDecisions) r.recordHash = recordHashOfRow("policy_decisions", r);
  for (const r of batch.handoffs) r.recordHash = recordHashOfRow("handoffs", r);
  return { batch, size: unique.length, valid: valid.length, rejected };
}
