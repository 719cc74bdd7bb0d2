// One intercept with what Verdict concluded about it — classification, response-hash check
// and the leak analysis — shaped as lib/api-contract/intercepts.ts describes (API, dashboard
// and shared pages).
import { getDb, type ClientHandle } from "../db/client";
import { num } from "../db/sql";
import { findIntercept, type InterceptRow } from "../db/queries/intercepts";
import { tryParseJson, type Json } from "../records/json";
import type { Review } from "../api-contract/reviews";
import { reviewsOf } from "../reviews/service";
import { checkStoredResponseHash } from "../analysis/response-hash";
import { describeCall, leakReason, tagStatus, untaggedReason } from "../analysis/leaks";
import { UNTAGGED } from "../analysis/classify-call";
import type { CallRef, InterceptDetail } from "../api-contract/intercepts";


const parsed = (text: string | null): Json | null => (text === null ? null : (tryParseJson(text)?.value ?? text));

const toRef = (r: InterceptRow): CallRef => ({ id: r.id, kind: r.kind, method: r.method, host: r.host, path: r.path, action_name: r.actionName, at: r.createdAt });

function explain(r: InterceptRow): string {
  if (r.kind === "llm_call") {
    return `An LLM call: ${r.host} is an endpoint of ${r.llmProvider ?? "an LLM provider"}.` +
      (r.actionName === UNTAGGED ? " It is untagged, as an LLM call in a correctly scoped agent should be." : ` It is tagged "${r.actionName}".`);
  }
  if (r.kind === "untagged_call") return `A call to a tool endpoint (${r.host} is not an LLM provider) recorded without a tag ("${UNTAGGED}").`;
  if (r.kind === "filler") return "A filler row the recorder inserts; not agent traffic.";
  return `A tool call: ${r.host} is not an LLM provider, and the call carries the action tag "${r.actionName}".`;
}

export async function getIntercept(id: string, conn: ClientHandle = getDb()): Promise<InterceptDetail | null> {
  const found = await findIntercept(conn, id);
  if (!found) return null;
  const { row: r, tool, leakedInto, hasToolCall } = found;
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

/** A leaked call's review history (a call that is not leaked cannot be reviewed: none). */
export async function interceptReviews(intercept: InterceptDetail, conn: ClientHandle = getDb()): Promise<Review[]> {
  return intercept.leak ? reviewsOf("intercept", intercept.id, conn) : [];
}
