// Which recorded calls went to an LLM provider. Decided once, at ingest, from host and path.
import { FILLER_ACTION_NAME, FILLER_AGENT_ID, UNTAGGED } from "../records/intercept";

export type CallKind = "llm_call" | "tool_call" | "untagged_call" | "filler";
export { UNTAGGED };
/**
 * The host of the URL an OTLP execute_tool span without a URL of its own is recorded with
 * (otel://execute_tool/<tool>): it names the tool, not a host the tool called.
 */
export const OTEL_TOOL_HOST = "execute_tool";

interface ProviderRule {
  provider: string;
  /** exact host, or "*.suffix" */
  host: string;
  /** the path must start with one of these (empty: any path) */
  paths?: string[];
  port?: string;
  /**
   * For OpenTelemetry spans (lib/importers/otlp.ts): the `gen_ai.provider.name` /
   * `gen_ai.system` values that name this provider, and the API URLs an LLM span that gives
   * no URL of its own is recorded with. Kept here so every provider the OTLP mapping knows
   * is also an LLM host: one list for both.
   */
  otel?: { names: string[]; chat: string; embeddings?: string };
}

export const LLM_PROVIDERS: ProviderRule[] = [
  { provider: "OpenAI", host: "api.openai.com", otel: { names: ["openai"], chat: "https://api.openai.com/v1/chat/completions", embeddings: "https://api.openai.com/v1/embeddings" } },
  { provider: "Anthropic", host: "api.anthropic.com", otel: { names: ["anthropic"], chat: "https://api.anthropic.com/v1/messages" } },
  { provider: "Google Gemini", host: "generativelanguage.googleapis.com", otel: { names: ["gcp.gemini", "gemini"], chat: "https://generativelanguage.googleapis.com/v1beta/models" } },
  { provider: "Google Vertex AI", host: "aiplatform.googleapis.com", otel: { names: ["gcp.vertex_ai", "vertex_ai", "gcp.gen_ai"], chat: "https://aiplatform.googleapis.com/v1/models" } },
  { provider: "Google Vertex AI", host: "*-aiplatform.googleapis.com" },
  {
    provider: "Azure OpenAI",
    host: "*.openai.azure.com",
    otel: { names: ["azure.ai.openai", "az_ai_openai"], chat: "https://models.openai.azure.com/openai/chat/completions", embeddings: "https://models.openai.azure.com/openai/embeddings" },
  },
  { provider: "Azure OpenAI", host: "*.services.ai.azure.com", otel: { names: ["azure.ai.inference", "az.ai.inference"], chat: "https://models.services.ai.azure.com/models/chat/completions", embeddings: "https://models.services.ai.azure.com/models/embeddings" } },
  { provider: "Azure OpenAI", host: "*.cognitiveservices.azure.com", paths: ["/openai/"] },
  { provider: "Mistral", host: "api.mistral.ai", otel: { names: ["mistral_ai", "mistralai"], chat: "https://api.mistral.ai/v1/chat/completions", embeddings: "https://api.mistral.ai/v1/embeddings" } },
  { provider: "Cohere", host: "api.cohere.ai" },
  { provider: "Cohere", host: "api.cohere.com", otel: { names: ["cohere"], chat: "https://api.cohere.com/v2/chat", embeddings: "https://api.cohere.com/v2/embed" } },
  { provider: "Groq", host: "api.groq.com", otel: { names: ["groq"], chat: "https://api.groq.com/openai/v1/chat/completions", embeddings: "https://api.groq.com/openai/v1/embeddings" } },
  { provider: "Together", host: "api.together.xyz", otel: { names: ["together", "together_ai"], chat: "https://api.together.xyz/v1/chat/completions", embeddings: "https://api.together.xyz/v1/embeddings" } },
  { provider: "Together", host: "api.together.ai" },
  { provider: "Fireworks", host: "api.fireworks.ai", otel: { names: ["fireworks", "fireworks_ai"], chat: "https://api.fireworks.ai/inference/v1/chat/completions", embeddings: "https://api.fireworks.ai/inference/v1/embeddings" } },
  { provider: "DeepSeek", host: "api.deepseek.com", otel: { names: ["deepseek"], chat: "https://api.deepseek.com/chat/completions", embeddings: "https://api.deepseek.com/embeddings" } },
  { provider: "Perplexity", host: "api.perplexity.ai", otel: { names: ["perplexity"], chat: "https://api.perplexity.ai/chat/completions" } },
  { provider: "OpenRouter", host: "openrouter.ai", paths: ["/api/"], otel: { names: ["openrouter"], chat: "https://openrouter.ai/api/v1/chat/completions", embeddings: "https://openrouter.ai/api/v1/embeddings" } },
  { provider: "xAI", host: "api.x.ai", otel: { names: ["x_ai", "xai"], chat: "https://api.x.ai/v1/chat/completions", embeddings: "https://api.x.ai/v1/embeddings" } },
  {
    provider: "AWS Bedrock",
    host: "bedrock-runtime.*.amazonaws.com",
    otel: { names: ["aws.bedrock", "aws_bedrock"], chat: "https://bedrock-runtime.us-east-1.amazonaws.com/model" },
  },
  { provider: "AWS Bedrock", host: "bedrock-runtime-fips.*.amazonaws.com" },
  { provider: "Ollama", host: "*", port: "11434", paths: ["/api/chat", "/api/generate", "/api/embed", "/v1/"], otel: { names: ["ollama"], chat: "http://localhost:11434/api/chat", embeddings: "http://localhost:11434/api/embed" } },
];

const OTEL_PROVIDERS = new Map(LLM_PROVIDERS.flatMap((r) => (r.otel ? r.otel.names.map((n) => [n, r.otel!] as const) : [])));

/** The API URL of an LLM span that names its provider (gen_ai.provider.name) but gives no URL. */
export function otelProviderUrl(name: string, operation: string): string | undefined {
  const p = OTEL_PROVIDERS.get(name.toLowerCase());
  if (!p) return undefined;
  return operation === "embeddings" ? (p.embeddings ?? p.chat) : p.chat;
}

// Compiled once per pattern: ingest classifies every record of every batch.
const patternRegexes = new Map<string, RegExp>();

function hostMatches(pattern: string, host: string): boolean {
  if (pattern === "*") return true;
  if (!pattern.includes("*")) return host === pattern;
  let re = patternRegexes.get(pattern);
  if (!re) {
    re = new RegExp("^" + pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("[a-z0-9.-]+") + "$");
    patternRegexes.set(pattern, re);
  }
  return re.test(host);
}

/**
 * Extra LLM endpoints from VERDICT_LLM_HOSTS: comma-separated `host`, `*.suffix`, or
 * `host/path-prefix` (e.g. `llm-gateway.internal,*.corp-ai.net,proxy.local/v1/chat`).
 */
export function parseLlmHostList(list: string | undefined): ProviderRule[] {
  return (list ?? "")
    .split(",")
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((entry) => {
      const slash = entry.indexOf("/");
      const hostPart = slash < 0 ? entry : entry.slice(0, slash);
      const [host, port] = hostPart.split(":");
      return { provider: "custom", host, port, paths: slash < 0 ? undefined : [entry.slice(slash)] };
    });
}

/** One spelling of a host list: lower case, trimmed, no empty or repeated entries, in the order given. */
export function normalizeLlmHosts(list: string | undefined | null): string {
  const seen = new Set<string>();
  for (const e of (list ?? "").split(",")) {
    const v = e.trim().toLowerCase();
    if (v) seen.add(v);
  }
  return [...seen].join(",");
}

/** The LLM provider a URL belongs to, or null. */
export function llmProviderOf(url: string, extra: ProviderRule[] = []): string | null {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  const host = u.hostname.toLowerCase();
  for (const rule of [...extra, ...LLM_PROVIDERS]) {
    if (!hostMatches(rule.host, host)) continue;
    if (rule.port && u.port !== rule.port) continue;
    if (rule.paths && !rule.paths.some((p) => u.pathname.startsWith(p))) continue;
    return rule.provider;
  }
  return null;
}

export function isFiller(agentId: string, actionName: string): boolean {
  return agentId === FILLER_AGENT_ID || actionName === FILLER_ACTION_NAME;
}

/** llm_call whatever its tag; otherwise untagged when the tag is "unknown", else tool_call. */
export function classifyCall(
  call: { agentId: string; actionName: string; sourceUrl: string },
  extra: ProviderRule[] = [],
): { kind: CallKind; llmProvider: string | null } {
  if (isFiller(call.agentId, call.actionName)) return { kind: "filler", llmProvider: null };
  const llmProvider = llmProviderOf(call.sourceUrl, extra);
  if (llmProvider) return { kind: "llm_call", llmProvider };
  return { kind: call.actionName === UNTAGGED ? "untagged_call" : "tool_call", llmProvider: null };
}
