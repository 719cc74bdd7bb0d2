// Which recorded calls went to an LLM provider. Decided once, at ingest, from host and path.
import { FILLER_ACTION_NAME, FILLER_AGENT_ID } from "../records/intercept";

export type CallKind = "llm_call" | "tool_call" | "untagged_call" | "filler";
export const UNTAGGED = "unknown";

interface ProviderRule {
  provider: string;
  /** exact host, or "*.suffix" */
  host: string;
  /** the path must start with one of these (empty: any path) */
  paths?: string[];
  port?: string;
}

export const LLM_PROVIDERS: ProviderRule[] = [
  { provider: "OpenAI", host: "api.openai.com" },
  { provider: "Anthropic", host: "api.anthropic.com" },
  { provider: "Google Gemini", host: "generativelanguage.googleapis.com" },
  { provider: "Google Vertex AI", host: "aiplatform.googleapis.com" },
  { provider: "Google Vertex AI", host: "*-aiplatform.googleapis.com" },
  { provider: "Azure OpenAI", host: "*.openai.azure.com" },
  { provider: "Azure OpenAI", host: "*.services.ai.azure.com" },
  { provider: "Azure OpenAI", host: "*.cognitiveservices.azure.com", paths: ["/openai/"] },
  { provider: "Mistral", host: "api.mistral.ai" },
  { provider: "Cohere", host: "api.cohere.ai" },
  { provider: "Cohere", host: "api.cohere.com" },
  { provider: "Groq", host: "api.groq.com" },
  { provider: "Together", host: "api.together.xyz" },
  { provider: "Together", host: "api.together.ai" },
  { provider: "Fireworks", host: "api.fireworks.ai" },
  { provider: "DeepSeek", host: "api.deepseek.com" },
  { provider: "OpenRouter", host: "openrouter.ai", paths: ["/api/"] },
  { provider: "xAI", host: "api.x.ai" },
  { provider: "AWS Bedrock", host: "bedrock-runtime.*.amazonaws.com" },
  { provider: "AWS Bedrock", host: "bedrock-runtime-fips.*.amazonaws.com" },
  { provider: "Ollama", host: "*", port: "11434", paths: ["/api/chat", "/api/generate", "/api/embed", "/v1/"] },
];

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
