// Tool-call arguments often carry credentials; keys that look sensitive are masked at
// ingest so the value never reaches storage. VERDICT_SENSITIVE_KEYS adds names.
import type { Json } from "./json";

export const DEFAULT_SENSITIVE_KEYS = ["password", "passwd", "token", "secret", "api_key", "apikey", "authorization"];
export const MASK = "[masked]";

export function sensitiveKeysFromEnv(env: Record<string, string | undefined> = process.env): string[] {
  const extra = (env.VERDICT_SENSITIVE_KEYS ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return [...DEFAULT_SENSITIVE_KEYS, ...extra];
}

/**
 * "Named like": a word of the key (snake, kebab or camelCase) or two adjacent words equal
 * a name, so `access_token`, `apiKey`, `DB_PASSWORD` are masked but `max_tokens` is not.
 */
export function isSensitiveKey(key: string, names: readonly string[]): boolean {
  // Split camelCase, including after an acronym run: "XApiKey" → X Api Key, "HTTPToken" → HTTP Token.
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
  const words = spaced.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const candidates = new Set([...words, ...words.slice(1).map((w, i) => words[i] + w), words.join("")]);
  return names.some((n) => candidates.has(n.toLowerCase().replace(/[^a-z0-9]/g, "")));
}

export function maskSensitive(value: Json, names: readonly string[] = sensitiveKeysFromEnv()): Json {
  if (Array.isArray(value)) return value.map((v) => maskSensitive(v, names));
  if (value === null || typeof value !== "object") return value;
  return Object.fromEntries(
    Object.entries(value).map(([k, v]) => [k, isSensitiveKey(k, names) && v !== null ? MASK : maskSensitive(v, names)]),
  ) as Json;
}
