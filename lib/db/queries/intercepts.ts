// One intercept with what Verdict concluded about it: classification, response-hash check,
// and the leak analysis (the tool call its tag came from, or the LLM calls its tag leaked into).
import type { Db } from "../client";
import type { Dialect } from "../config";
import { num } from "../sql";
import { tryParseJson, type Json } from "@/lib/records/json";
import { checkStoredResponseHash, type ResponseHashCheck } from "@/lib/analysis/response-hash";
import { describeCall, leakReason, tagStatus, untaggedReason, type TagStatus } from "@/lib/analysis/leaks";
import { UNTAGGED } from "@/lib/analysis/classify-call";

type Conn = { db: Db; dialect: Dialect };

export interface CallRef {
  id: string;
  kind: string;
  method: string;
  host: string;
  path: string;
  action_name: string;
  at: string;
}

export interface InterceptDetail {
  id: string;
  source: string;
  source_id: string | null;
  generation: string;
  agent_id: string;
  action_name: string;
  kind: string;
  source_url: string;
  method: string;
  host: string;
  path: string;
  /** the JSON value, or the text when it is not JSON */
  request_payload: Json;
  raw_response: Json | null;
  response_hash: string | null;
  created_at: string;
  call_ref: string | null;
  run_id: string | null;
  intercept_index: number | null;
  extra: Json | null;
  classification: { kind: string; llm_provider: string | null; tag_status: TagStatus; explanation: string };
  response_hash_check: ResponseHashCheck;
  leak: { reason: string; tool_intercept_id: string; tool_call: CallRef | null } | null;
  /** For a tool call: the LLM calls that carry its tag (leaked from it). */
  leaked_into: CallRef[];
  /** Other findings about this call's tag, one sentence each. */
  findings: string[];
}

const parsed = (text: string | null): Json | null => (text === null ? null : (tryParseJson(text)?.value ?? text));

type Row = Awaited<ReturnType<Db["intercept"]["findUnique"]>> & {};

const toRef = (r: Row): CallRef => ({ id: r.id, kind: r.kind, method: r.method, host: r.host, path: r.path, action_name: r.actionName, at: r.createdAt });

function explain(r: Row): string {
  if (r.kind === "llm_call") {
    return `An LLM call: ${r.host} is an endpoint of ${r.llmProvider ?? "an LLM provider"}.` +
      (r.actionName === UNTAGGED ? " It is untagged, as an LLM call in a correctly scoped agent should be." : ` It is tagged "${r.actionName}".`);
  }
  if (r.kind === "untagged_call") return `A call to a tool endpoint (${r.host} is not an LLM provider) recorded without a tag ("${UNTAGGED}").`;
  if (r.kind === "filler") return "A filler row the recorder inserts; not agent traffic.";
  return `A tool call: ${r.host} is not an LLM provider, and the call carries the action tag "${r.actionName}".`;
}

export async function getIntercept({ db }: Conn, id: string): Promise<InterceptDetail | null> {
  const r = await db.intercept.findUnique({ where: { id } });
  // Filler rows are the recorder's padding, never shown as agent traffic.
  if (!r || r.kind === "filler") return null;
  const [tool, leakedInto, hasToolCall] = await Promise.all([
    r.isLeak && r.leakToolId ? db.intercept.findUnique({ where: { id: r.leakToolId } }) : Promise.resolve(null),
    r.kind === "tool_call"
      ? db.intercept.findMany({ where: { agentId: r.agentId, kind: "llm_call", leakToolId: r.id }, orderBy: [{ ts: "asc" }, { id: "asc" }], take: 100 })
      : Promise.resolve([]),
    r.kind === "llm_call" && r.actionName !== UNTAGGED
      ? db.intercept.findFirst({ where: { agentId: r.agentId, actionName: r.actionName, kind: "tool_call" }, select: { id: true } }).then(Boolean)
      : Promise.resolve(true),
  ]);
  const ts = num(r.ts);
  const findings: string[] = [];
  if (r.kind === "untagged_call") findings.push(untaggedReason(r));
  if (!hasToolCall) findings.push(`No tool call of ${r.agentId} carries the tag "${r.actionName}": if it names a tool, the tool body never ran.`);
  const sharing = leakedInto.filter((l) => r.callRef !== null && l.callRef === r.callRef);
  if (sharing.length) {
    findings.push(`${sharing.length} LLM call${sharing.length === 1 ? "" : "s"} carr${sharing.length === 1 ? "ies" : "y"} this tool call's call_ref ${r.callRef} (made inside its scoped block): the evaluator reads the first row with that call_ref, which may be an LLM call rather than this one.`);
  }
  if (leakedInto.length > sharing.length) {
    findings.push(`The tag "${r.actionName}" of this tool call leaked into ${leakedInto.length - sharing.length} later LLM call${leakedInto.length - sharing.length === 1 ? "" : "s"}: a loader that takes the newest "${r.actionName}" row reads ${leakedInto.length - sharing.length === 1 ? "it" : "the last of them"}, not this call.`);
  }
  return {
    id: r.id,
    source: r.source,
    source_id: r.sourceId,
    generation: r.generation,
    agent_id: r.agentId,
    action_name: r.actionName,
    kind: r.kind,
    source_url: r.sourceUrl,
    method: r.method,
    host: r.host,
    path: r.path,
    request_payload: parsed(r.requestPayload) ?? {},
    raw_response: parsed(r.rawResponse),
    response_hash: r.responseHash,
    created_at: r.createdAt,
    call_ref: r.callRef,
    run_id: r.runId,
    intercept_index: r.interceptIndex,
    extra: parsed(r.extra),
    classification: { kind: r.kind, llm_provider: r.llmProvider, tag_status: tagStatus({ actionName: r.actionName, isLeak: r.isLeak }), explanation: explain(r) },
    response_hash_check: checkStoredResponseHash(r.rawResponse, r.responseHash, parsed(r.extra)),
    leak:
      r.isLeak && r.leakToolId
        ? {
            tool_intercept_id: r.leakToolId,
            tool_call: tool ? toRef(tool) : null,
            reason: tool
              ? leakReason({ actionName: r.actionName, method: r.method, host: r.host, path: r.path, ts, callRef: r.callRef }, { method: tool.method, host: tool.host, path: tool.path, ts: num(tool.ts), createdAt: tool.createdAt, callRef: tool.callRef }, r.parentToolId === r.leakToolId)
              : `This LLM call (${describeCall(r)}) carries the action tag "${r.actionName}" of an earlier tool call.`,
          }
        : null,
    leaked_into: leakedInto.map(toRef),
    findings,
  };
}
