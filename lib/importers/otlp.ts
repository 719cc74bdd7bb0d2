// OpenTelemetry traces (OTLP/HTTP JSON) → intercept wire records. Pure: the route parses the
// body, maps it here, and ingests the records like any other batch, so the leak rules apply
// unchanged.
//
// Which spans become intercepts:
//   - `gen_ai.operation.name` chat | text_completion | generate_content | embeddings → an LLM
//     call. Its URL is `url.full`, else https://`server.address`[:`server.port`], else the
//     provider's public API URL from `gen_ai.provider.name` / `gen_ai.system` (PROVIDER_URLS).
//     An LLM span with none of these cannot be classified as an LLM call and is rejected.
//   - `gen_ai.operation.name` execute_tool with `gen_ai.tool.name` → a tool call; its URL is
//     `url.full` / `server.address` when the span has them, else otel://execute_tool/<tool>.
//   - an HTTP client span (`http.request.method` + `url.full`, or the older `http.method` +
//     `http.url`) → an intercept of that call.
//   Other spans (agent invocations, internal work) are not calls and are skipped.
// agent_id: `gen_ai.agent.id`, else `gen_ai.agent.name` (span, then resource), else the
// resource's `service.name`, else "unknown". The action tag: `verdict.action_name`, else
// `gen_ai.tool.name`, else "unknown". id: `<traceId>:<spanId>`, so re-sending is idempotent.
// source: the resource attribute `verdict.source`, else "otel". Every attribute of the span
// and its resource is kept under the record's `otel` field (stored with the intercept).
import { formatMicros } from "../records/timestamp";

export const LLM_OPERATIONS = ["chat", "text_completion", "generate_content", "embeddings"] as const;
export const DEFAULT_OTLP_SOURCE = "otel";

/** Where each provider's API is, for LLM spans that name the provider but no URL. */
export const PROVIDER_URLS: Record<string, { chat: string; embeddings: string }> = {
  openai: { chat: "https://api.openai.com/v1/chat/completions", embeddings: "https://api.openai.com/v1/embeddings" },
  anthropic: { chat: "https://api.anthropic.com/v1/messages", embeddings: "https://api.anthropic.com/v1/messages" },
  "gcp.gemini": { chat: "https://generativelanguage.googleapis.com/v1beta/models", embeddings: "https://generativelanguage.googleapis.com/v1beta/models" },
  gemini: { chat: "https://generativelanguage.googleapis.com/v1beta/models", embeddings: "https://generativelanguage.googleapis.com/v1beta/models" },
  "gcp.vertex_ai": { chat: "https://aiplatform.googleapis.com/v1/models", embeddings: "https://aiplatform.googleapis.com/v1/models" },
  vertex_ai: { chat: "https://aiplatform.googleapis.com/v1/models", embeddings: "https://aiplatform.googleapis.com/v1/models" },
  "azure.ai.openai": { chat: "https://models.openai.azure.com/openai/chat/completions", embeddings: "https://models.openai.azure.com/openai/embeddings" },
  az_ai_openai: { chat: "https://models.openai.azure.com/openai/chat/completions", embeddings: "https://models.openai.azure.com/openai/embeddings" },
  "aws.bedrock": { chat: "https://bedrock-runtime.us-east-1.amazonaws.com/model", embeddings: "https://bedrock-runtime.us-east-1.amazonaws.com/model" },
  aws_bedrock: { chat: "https://bedrock-runtime.us-east-1.amazonaws.com/model", embeddings: "https://bedrock-runtime.us-east-1.amazonaws.com/model" },
  mistral_ai: { chat: "https://api.mistral.ai/v1/chat/completions", embeddings: "https://api.mistral.ai/v1/embeddings" },
  mistralai: { chat: "https://api.mistral.ai/v1/chat/completions", embeddings: "https://api.mistral.ai/v1/embeddings" },
  cohere: { chat: "https://api.cohere.com/v2/chat", embeddings: "https://api.cohere.com/v2/embed" },
  groq: { chat: "https://api.groq.com/openai/v1/chat/completions", embeddings: "https://api.groq.com/openai/v1/embeddings" },
  deepseek: { chat: "https://api.deepseek.com/chat/completions", embeddings: "https://api.deepseek.com/embeddings" },
  "x_ai": { chat: "https://api.x.ai/v1/chat/completions", embeddings: "https://api.x.ai/v1/embeddings" },
  xai: { chat: "https://api.x.ai/v1/chat/completions", embeddings: "https://api.x.ai/v1/embeddings" },
  perplexity: { chat: "https://api.perplexity.ai/chat/completions", embeddings: "https://api.perplexity.ai/chat/completions" },
  together: { chat: "https://api.together.xyz/v1/chat/completions", embeddings: "https://api.together.xyz/v1/embeddings" },
  fireworks: { chat: "https://api.fireworks.ai/inference/v1/chat/completions", embeddings: "https://api.fireworks.ai/inference/v1/embeddings" },
  ollama: { chat: "http://localhost:11434/api/chat", embeddings: "http://localhost:11434/api/embed" },
};

type AnyValue = Record<string, unknown>;
type Attributes = Record<string, unknown>;

/** An OTLP AnyValue (JSON encoding) → a plain JSON value. 64-bit ints arrive as strings. */
export function anyValue(v: unknown): unknown {
  if (v === null || typeof v !== "object") return v ?? null;
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
    return Array.isArray(values) ? values.map(anyValue) : [];
  }
  if ("kvlistValue" in a) return attributes((a.kvlistValue as { values?: unknown } | null)?.values);
  return null;
}

/** An OTLP KeyValue list → an object (later keys win, as in the SDKs). */
export function attributes(list: unknown): Attributes {
  const out: Attributes = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list) {
    if (kv && typeof kv === "object" && typeof (kv as { key?: unknown }).key === "string") {
      out[(kv as { key: string }).key] = anyValue((kv as { value?: unknown }).value);
    }
  }
  return out;
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
  record?: Record<string, unknown> & { type: "intercept" };
  /** why the span could not become an intercept */
  error?: string;
}

export interface OtlpMapping {
  spans: MappedSpan[];
  /** spans that are not calls (agent invocations, internal work) */
  skipped: number;
}

type SpanRole = { role: "llm"; operation: string } | { role: "tool" } | { role: "http" } | null;

function roleOf(a: Attributes): SpanRole {
  const op = str(a["gen_ai.operation.name"]);
  if (op && (LLM_OPERATIONS as readonly string[]).includes(op)) return { role: "llm", operation: op };
  if (op === "execute_tool" && str(a["gen_ai.tool.name"])) return { role: "tool" };
  if (str(a["http.request.method"] ?? a["http.method"]) && str(a["url.full"] ?? a["http.url"])) return { role: "http" };
  return null;
}

function urlOf(role: NonNullable<SpanRole>, a: Attributes): string | undefined {
  const explicit = str(a["url.full"]) ?? str(a["http.url"]) ?? serverUrl(a);
  if (explicit) return explicit;
  if (role.role === "tool") return `otel://execute_tool/${encodeURIComponent(String(a["gen_ai.tool.name"]))}`;
  if (role.role === "llm") {
    const provider = (str(a["gen_ai.provider.name"]) ?? str(a["gen_ai.system"]))?.toLowerCase();
    const urls = provider ? PROVIDER_URLS[provider] : undefined;
    if (urls) return role.operation === "embeddings" ? urls.embeddings : urls.chat;
  }
  return undefined;
}

function mapSpan(span: Record<string, unknown>, resource: Attributes, scope: unknown, path: string): MappedSpan | null {
  const a = attributes(span.attributes);
  const role = roleOf(a);
  if (!role) return null;
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
  const actionName = str(a["verdict.action_name"]) ?? str(a["gen_ai.tool.name"]) ?? "unknown";
  const method = str(a["http.request.method"]) ?? str(a["http.method"]) ?? (role.role === "llm" ? "POST" : undefined);
  const requestPayload: Record<string, unknown> = { url, ...(method ? { method } : {}) };
  const input = a["gen_ai.input.messages"] ?? a["gen_ai.tool.call.arguments"];
  if (input !== undefined) requestPayload.json = typeof input === "string" ? parseMaybeJson(input) : input;
  const output = a["gen_ai.output.messages"] ?? a["gen_ai.tool.call.result"];
  const parentSpanId = spanIdHex(span.parentSpanId, 8);
  const record = {
    type: "intercept" as const,
    id: `${traceId}:${spanId}`,
    source: str(resource["verdict.source"]) ?? DEFAULT_OTLP_SOURCE,
    agent_id: agentId,
    action_name: actionName,
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

function parseMaybeJson(s: string): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return { text: s };
  }
}

const list = (v: unknown): Record<string, unknown>[] => (Array.isArray(v) ? v.filter((x) => x && typeof x === "object") : []);

/** Maps every span of an ExportTraceServiceRequest (JSON encoding). */
export function mapOtlpTraces(body: { resourceSpans: unknown[] }): OtlpMapping {
  const spans: MappedSpan[] = [];
  let skipped = 0;
  list(body.resourceSpans).forEach((rs, ri) => {
    const resource = attributes((rs.resource as { attributes?: unknown } | undefined)?.attributes);
    // scopeSpans; instrumentationLibrarySpans is what exporters before OTLP 0.15 sent
    const scopeKey = Array.isArray(rs.scopeSpans) ? "scopeSpans" : "instrumentationLibrarySpans";
    list(rs[scopeKey]).forEach((ss, si) => {
      list(ss.spans).forEach((span, i) => {
        const m = mapSpan(span, resource, ss.scope ?? ss.instrumentationLibrary, `resourceSpans.${ri}.${scopeKey}.${si}.spans.${i}`);
        if (m) spans.push(m);
        else skipped++;
      });
    });
  });
  return { spans, skipped };
}
