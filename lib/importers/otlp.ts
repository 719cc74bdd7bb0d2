// OpenTelemetry traces (OTLP/HTTP JSON) → intercept wire records. Pure: the route parses the
// body, maps it here, and ingests the records like any other batch, so the leak rules apply
// unchanged.
//
// Which spans become intercepts:
//   - `gen_ai.operation.name` chat | text_completion | generate_content | embeddings → an LLM
//     call. Its URL is `url.full`, else https://`server.address`[:`server.port`], else the
//     provider's public API URL from `gen_ai.provider.name` / `gen_ai.system` (the `otel` entries
//     of LLM_PROVIDERS in lib/analysis/classify-call.ts, so each is also an LLM host).
//     An LLM span with none of these cannot be classified as an LLM call and is rejected.
//   - `gen_ai.operation.name` execute_tool with `gen_ai.tool.name` → a tool call; its URL is
//     `url.full` / `server.address` when the span has them, else otel://execute_tool/<tool>.
//   - an HTTP client span (`http.request.method` + `url.full`, or the older `http.method` +
//     `http.url`) → an intercept of that call.
//   Other spans (agent invocations, internal work) are not calls and are skipped.
// agent_id: `gen_ai.agent.id`, else `gen_ai.agent.name` (span, then resource), else the
// resource's `service.name`, else "unknown". The action tag: the span's own
// `verdict.action_name`, else its `gen_ai.tool.name`, else the tag of the nearest
// `execute_tool` ancestor in the same trace (a call made inside a tool carries that tool's tag,
// as the recorder's scoping does), else "unknown". Ancestors are looked for among the spans of
// the export here, and among spans stored earlier by the caller (otlp-ingest.ts). An inherited
// tag is recorded under `otel.action_name_from`, which ingest turns into the link to that tool
// call: an LLM call under a tool span is then a tag leak of that tool call.
// id: `<traceId>:<spanId>`, so re-sending is idempotent.
// source: the resource attribute `verdict.source`, else "otel". Every attribute of the span
// and its resource is kept under the record's `otel` field (stored with the intercept).
import { formatMicros } from "../records/timestamp";
import { OTEL_TOOL_HOST, otelProviderUrl } from "../analysis/classify-call";
import { MAX_JSON_DEPTH } from "../records/json-limits";

export const LLM_OPERATIONS = ["chat", "text_completion", "generate_content", "embeddings"] as const;
export const DEFAULT_OTLP_SOURCE = "otel";

type AnyValue = Record<string, unknown>;
type Attributes = Record<string, unknown>;

/** An attribute value nested deeper than a record may be (MAX_JSON_DEPTH): its span is rejected. */
export class NestedTooDeep extends Error {
  constructor() {
    super(`an attribute value is nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
}

/** An OTLP AnyValue (JSON encoding) → a plain JSON value. 64-bit ints arrive as strings. */
export function anyValue(v: unknown, depth = 0): unknown {
  if (v === null || typeof v !== "object") return v ?? null;
  // Bounded here, not only by record validation later: a hostile export could nest deep
  // enough to exhaust the stack of this very recursion.
  if (depth > MAX_JSON_DEPTH) throw new NestedTooDeep();
  const a = v as AnyValue;
  if ("stringValue" in a) return a.stringValue;
  if ("boolValue" in a) return a.boolValue;
  if ("intValue" in a) {
    const n = Number(a.intValue);
    return Number.isSafeInteger(n) ? n : String(a.intValue);
  }
  if ("doubleValue" in a) return a.doubleValue;
  if ("bytesValue" in a) return a.bytesValue;
  if ("arrayValue" in a) {
    const values = (a.arrayValue as { values?: unknown[] } | null)?.values;
    return Array.isArray(values) ? values.map((x) => anyValue(x, depth + 1)) : [];
  }
  if ("kvlistValue" in a) return attributes((a.kvlistValue as { values?: unknown } | null)?.values, depth + 1);
  return null;
}

/** An OTLP KeyValue list → an object (later keys win, as in the SDKs). */
export function attributes(list: unknown, depth = 0): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (kv && typeof kv === "object" && typeof (kv as { key?: unknown }).key === "string") {
      out[(kv as { key: string }).key] = anyValue((kv as { value?: unknown }).value, depth);
    }
  }
  return out;
}

/** attributes(), or the reason the span (or every span of the resource) is rejected. */
function attributesOrProblem(list: unknown): { a: Attributes; problem?: string } {
  try {
    return { a: attributes(list) };
  } catch (e) {
    if (e instanceof NestedTooDeep) return { a: {}, problem: e.message };
    throw e;
  }
}

/** OTLP/JSON ids are hex; some exporters send base64 of the bytes. Either → lower-case hex. */
export function spanIdHex(id: unknown, bytes: 8 | 16): string | null {
  if (typeof id !== "string" || id === "") return null;
  if (new RegExp(`^[0-9a-fA-F]{${bytes * 2}}$`).test(id)) return id.toLowerCase();
  const b = Buffer.from(id, "base64");
  return b.length === bytes ? b.toString("hex") : null;
}

/** Unix nanoseconds (string or number) → ISO-8601 UTC with microseconds. */
export function nanosToIso(nanos: unknown): string | null {
  let n: bigint;
  try {
    if (typeof nanos === "string" && /^\d+$/.test(nanos)) n = BigInt(nanos);
    else if (typeof nanos === "number" && Number.isFinite(nanos) && nanos >= 0) n = BigInt(Math.round(nanos));
    else return null;
  } catch {
    return null;
  }
  const us = Number(n / 1000n);
  if (us <= 0 || us > 7_258_118_400_000_000) return null; // 1970 .. 2200, as ingest accepts
  return formatMicros(us);
}

const str = (v: unknown): string | undefined => (typeof v === "string" && v.trim() !== "" ? v : undefined);

function serverUrl(a: Attributes): string | undefined {
  const host = str(a["server.address"]);
  if (!host) return undefined;
  const port = a["server.port"];
  const scheme = port === 80 || port === "80" ? "http" : "https";
  const withPort = port !== undefined && port !== null && port !== 443 && port !== 80 && port !== "443" && port !== "80" ? `${host}:${port}` : host;
  return `${scheme}://${withPort}/`;
}

export interface MappedSpan {
  /** where the span sits in the request, e.g. resourceSpans.0.scopeSpans.1.spans.4 */
  path: string;
  record?: OtlpRecord;
  /** why the span could not become an intercept */
  error?: string;
  /**
   * The span has no tag of its own and an ancestor of it is not in this export:
   * `<traceId>:<spanId>` of that ancestor, for the caller to look up among stored spans.
   */
  missingAncestor?: string;
}

export type OtlpRecord = Record<string, unknown> & { type: "intercept"; action_name: string; source: string; otel: Record<string, unknown> };

export interface OtlpMapping {
  spans: MappedSpan[];
  /** spans that are not calls (agent invocations, internal work) */
  skipped: number;
}

/** An execute_tool span, as the spans nested under it inherit its tag. */
export interface ToolSpan {
  /** its record id `<traceId>:<spanId>` and source: together, the stored tool call */
  id: string;
  source: string;
  actionName: string;
  name: string | null;
}

type SpanRole = { role: "llm"; operation: string } | { role: "tool" } | { role: "http" } | null;

function roleOf(a: Attributes): SpanRole {
  const op = str(a["gen_ai.operation.name"]);
  if (op && (LLM_OPERATIONS as readonly string[]).includes(op)) return { role: "llm", operation: op };
  if (op === "execute_tool" && str(a["gen_ai.tool.name"])) return { role: "tool" };
  if (str(a["http.request.method"] ?? a["http.method"]) && str(a["url.full"] ?? a["http.url"])) return { role: "http" };
  return null;
}

const ownTag = (a: Attributes): string | undefined => str(a["verdict.action_name"]) ?? str(a["gen_ai.tool.name"]);
const sourceOf = (resource: Attributes): string => str(resource["verdict.source"]) ?? DEFAULT_OTLP_SOURCE;

function urlOf(role: NonNullable<SpanRole>, a: Attributes): string | undefined {
  const explicit = str(a["url.full"]) ?? str(a["http.url"]) ?? serverUrl(a);
  if (explicit) return explicit;
  if (role.role === "tool") return `otel://${OTEL_TOOL_HOST}/${encodeURIComponent(String(a["gen_ai.tool.name"]))}`;
  if (role.role === "llm") {
    const provider = str(a["gen_ai.provider.name"]) ?? str(a["gen_ai.system"]);
    if (provider) return otelProviderUrl(provider, role.operation);
  }
  return undefined;
}

function mapSpan(span: Record<string, unknown>, a: Attributes, role: NonNullable<SpanRole>, resource: Attributes, scope: unknown, path: string): MappedSpan {
  const traceId = spanIdHex(span.traceId, 16);
  const spanId = spanIdHex(span.spanId, 8);
  if (!traceId || !spanId) return { path, error: "traceId (16 bytes) and spanId (8 bytes) are required, as hex" };
  const createdAt = nanosToIso(span.startTimeUnixNano);
  if (!createdAt) return { path, error: "startTimeUnixNano is missing or out of range" };
  const url = urlOf(role, a);
  if (!url) {
    return { path, error: "an LLM span needs url.full, server.address or a known gen_ai.provider.name / gen_ai.system to be recognised as an LLM call" };
  }
  const agentId =
    str(a["gen_ai.agent.id"]) ?? str(resource["gen_ai.agent.id"]) ?? str(a["gen_ai.agent.name"]) ?? str(resource["gen_ai.agent.name"]) ?? str(resource["service.name"]) ?? "unknown";
  const method = str(a["http.request.method"]) ?? str(a["http.method"]) ?? (role.role === "llm" ? "POST" : undefined);
  const requestPayload: Record<string, unknown> = { url, ...(method ? { method } : {}) };
  const input = a["gen_ai.input.messages"] ?? a["gen_ai.tool.call.arguments"];
  if (input !== undefined) requestPayload.json = typeof input === "string" ? parseMaybeJson(input) : input;
  const output = a["gen_ai.output.messages"] ?? a["gen_ai.tool.call.result"];
  const parentSpanId = spanIdHex(span.parentSpanId, 8);
  const record: OtlpRecord = {
    type: "intercept" as const,
    id: `${traceId}:${spanId}`,
    source: sourceOf(resource),
    agent_id: agentId,
    action_name: ownTag(a) ?? "unknown",
    source_url: url,
    request_payload: requestPayload,
    raw_response: output === undefined ? null : typeof output === "string" ? parseMaybeJson(output) : output,
    created_at: createdAt,
    run_id: traceId,
    otel: {
      trace_id: traceId,
      span_id: spanId,
      parent_span_id: parentSpanId,
      name: typeof span.name === "string" ? span.name : null,
      kind: span.kind ?? null,
      end_time: nanosToIso(span.endTimeUnixNano),
      status: span.status ?? null,
      attributes: a,
      resource,
      scope: scope ?? null,
    },
  };
  return { path, record };
}

/** Gives a record with no tag of its own the tag of the tool span it ran inside. */
export function inheritTag(record: OtlpRecord, tool: ToolSpan): void {
  record.action_name = tool.actionName;
  // Read back by ingest (lib/records/intercept.ts) to link the call to that tool call.
  record.otel.action_name_from = { source: tool.source, id: tool.id, span_name: tool.name };
}

function parseMaybeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return { text: s };
  }
}

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : []);

/** Ancestor chains longer than this are not followed (a malformed export could loop). */
const MAX_ANCESTORS = 256;

/** Maps every span of an ExportTraceServiceRequest (JSON encoding, or protobuf decoded to it). */
export function mapOtlpTraces(body: { resourceSpans: unknown[] }): OtlpMapping {
  type Entry = { span: Record<string, unknown>; a: Attributes; resource: Attributes; scope: unknown; path: string; key: string | null; problem?: string };
  const entries: Entry[] = [];
  // Every span of the export, calls or not: the parent chains pass through agent and internal spans.
  const nodes = new Map<string, { parent: string | null; tool: ToolSpan | null }>();
  list(body.resourceSpans).forEach((rs, ri) => {
    const { a: resource, problem: resourceProblem } = attributesOrProblem((rs.resource as { attributes?: unknown } | undefined)?.attributes);
    // scopeSpans; instrumentationLibrarySpans is what exporters before OTLP 0.15 sent
    const scopeKey = Array.isArray(rs.scopeSpans) ? "scopeSpans" : "instrumentationLibrarySpans";
    list(rs[scopeKey]).forEach((ss, si) => {
      list(ss.spans).forEach((span, i) => {
        const { a, problem } = attributesOrProblem(span.attributes);
        const traceId = spanIdHex(span.traceId, 16);
        const spanId = spanIdHex(span.spanId, 8);
        const key = traceId && spanId ? `${traceId}:${spanId}` : null;
        if (key) {
          const parentId = spanIdHex(span.parentSpanId, 8);
          const isTool = str(a["gen_ai.operation.name"]) === "execute_tool" && str(a["gen_ai.tool.name"]);
          nodes.set(key, {
            parent: parentId ? `${traceId}:${parentId}` : null,
            tool: isTool ? { id: key, source: sourceOf(resource), actionName: ownTag(a)!, name: typeof span.name === "string" ? span.name : null } : null,
          });
        }
        const where = `resourceSpans.${ri}.${scopeKey}.${si}.spans.${i}`;
        entries.push({ span, a, resource, scope: ss.scope ?? ss.instrumentationLibrary, path: where, key, problem: resourceProblem ? `resource: ${resourceProblem}` : problem });
      });
    });
  });

  const spans: MappedSpan[] = [];
  let skipped = 0;
  for (const e of entries) {
    if (e.problem) {
      spans.push({ path: e.path, error: e.problem });
      continue;
    }
    const role = roleOf(e.a);
    if (!role) {
      skipped++;
      continue;
    }
    const m = mapSpan(e.span, e.a, role, e.resource, e.scope, e.path);
    if (m.record && ownTag(e.a) === undefined && e.key) {
      let at = nodes.get(e.key)!.parent;
      for (let steps = 0; at !== null && steps < MAX_ANCESTORS; steps++) {
        const node = nodes.get(at);
        if (!node) {
          m.missingAncestor = at;
          break;
        }
        if (node.tool) {
          inheritTag(m.record, node.tool);
          break;
        }
        at = node.parent;
      }
    }
    spans.push(m);
  }
  return { spans, skipped };
}
