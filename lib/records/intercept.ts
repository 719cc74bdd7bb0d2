import { z } from "zod";
import { jsonColumn, sourceField, sourceIdField, timestampField, unknownFields } from "./common";
import { isPlainObject, sha256Hex, canonicalJson } from "./json";

/** One outbound HTTP call, as either recorder generation writes it (docs/records.md, Intercepts). */
export const interceptRecordSchema = z.looseObject({
  type: z.literal("intercept"),
  id: sourceIdField,
  source: sourceField,
  agent_id: z.string().min(1).max(1000),
  action_name: z.string().min(1).max(1000),
  source_url: z.string().min(1).max(16384),
  request_payload: jsonColumn.optional(),
  raw_response: jsonColumn.nullable().optional(),
  response_hash: z.string().max(256).nullable().optional(),
  created_at: timestampField,
  call_ref: z.string().min(1).max(256).nullable().optional(),
  run_id: z.string().min(1).max(1000).nullable().optional(),
  intercept_index: z.number().int().safe().nullable().optional(),
});
export type InterceptRecordInput = z.input<typeof interceptRecordSchema>;
export type InterceptRecord = z.output<typeof interceptRecordSchema>;

const KNOWN = Object.keys(interceptRecordSchema.shape);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The action name of a call recorded without a tool tag. */
export const UNTAGGED = "unknown";
export const FILLER_AGENT_ID = "__provably_preprocess_pad";
export const FILLER_ACTION_NAME = "__dummy_row";

/** The one shape both generations are stored in (before classification). */
export interface NormalizedIntercept {
  source: string;
  sourceId: string | null;
  dedupeKey: string;
  generation: "A" | "B";
  agentId: string;
  actionName: string;
  sourceUrl: string;
  method: string;
  host: string;
  path: string;
  requestPayload: string;
  rawResponse: string | null;
  responseHash: string | null;
  createdAt: string;
  ts: number;
  callRef: string | null;
  runId: string | null;
  interceptIndex: number | null;
  extra: string | null;
  /**
   * The dedupe key of the tool call this call ran inside, when its action tag came from span
   * nesting (an OTLP span's `otel.action_name_from`, set by lib/importers/otlp.ts); ingest
   * links the call to that tool call.
   */
  parentToolKey?: string | null;
}

export function splitUrl(url: string): { host: string; path: string } {
  try {
    const u = new URL(url);
    return { host: u.host.toLowerCase(), path: u.pathname + u.search };
  } catch {
    return { host: "", path: url };
  }
}

export function normalizeIntercept(r: InterceptRecord): NormalizedIntercept {
  const request = r.request_payload ?? { text: "{}", value: {} };
  const payload = isPlainObject(request.value) ? request.value : {};
  // Generation B: UUID ids, call_ref, and no URL inside request_payload.
  const generation = r.call_ref || (r.id !== null && UUID.test(r.id)) || !("url" in payload) ? "B" : "A";
  const method = typeof payload.method === "string" ? payload.method.toUpperCase() : "";
  const extraFields = unknownFields(r, KNOWN);
  const extra = extraFields ?? {};
  const { host, path } = splitUrl(r.source_url);
  const row: Omit<NormalizedIntercept, "dedupeKey"> = {
    source: r.source,
    sourceId: r.id,
    generation,
    agentId: r.agent_id,
    actionName: r.action_name,
    sourceUrl: r.source_url,
    method,
    host,
    path,
    requestPayload: request.text,
    rawResponse: r.raw_response ? r.raw_response.text : null,
    responseHash: r.response_hash ?? null,
    createdAt: r.created_at.iso,
    ts: r.created_at.us,
    callRef: r.call_ref ?? null,
    runId: r.run_id ?? null,
    interceptIndex: r.intercept_index ?? null,
    extra: Object.keys(extra).length ? JSON.stringify(extra) : null,
  };
  return { ...row, dedupeKey: dedupeKey(row.source, row.sourceId, row), parentToolKey: parentToolKeyOf(r) };
}

function parentToolKeyOf(r: InterceptRecord): string | null {
  const otel = (r as { otel?: unknown }).otel;
  if (!isPlainObject(otel) || !isPlainObject(otel.action_name_from)) return null;
  const { source, id } = otel.action_name_from;
  return typeof source === "string" && typeof id === "string" ? dedupeKey(source, id, null) : null;
}

/** Same (source, id) → same record; without an id, the same content is the same record. */
export function dedupeKey(source: string, sourceId: string | null, content: unknown): string {
  return sourceId !== null ? JSON.stringify([source, sourceId]) : `content:${sha256Hex(canonicalJson(content))}`;
}
