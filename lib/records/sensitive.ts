// The names of secrets: a key named like one of these (a word of it, or two adjacent words) is
// a secret wherever it occurs in a record (lib/records/scrub.ts). VERDICT_SENSITIVE_KEYS adds names.
import { setting } from "../config/server-env";

export const DEFAULT_SENSITIVE_KEYS = ["password", "passwd", "token", "secret", "api_key", "apikey", "private_key", "authorization", "cookie", "integration_api_key"];

export function sensitiveKeysFromEnv(env: Record<string, string | undefined> = process.env): string[] {
  return [...DEFAULT_SENSITIVE_KEYS, ...setting("VERDICT_SENSITIVE_KEYS", env)];
}

/**
 * "Named like": a word of the key (snake, kebab or camelCase) or two adjacent words equal
 * a name, so `access_token`, `apiKey`, `DB_PASSWORD` are masked but `max_tokens` is not.
 */
export function isSensitiveKey(key: string, names: readonly string[]): boolean {
  const words = keyWords(key);
  const candidates = new Set([...words, ...words.slice(1).map((w, i) => words[i] + w), words.join("")]);
  return names.some((n) => candidates.has(n.toLowerCase().replace(/[^a-z0-9]/g, "")));
}

/** The words of a key, lower-cased: snake, kebab, dotted, spaced or camelCase ("XApiKey" → x api key, "HTTPToken" → http token). */
export function keyWords(key: string): string[] {
  const spaced = key.replace(/([a-z0-9])([A-Z])/g, "$1 $2").replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2");
  return spaced.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
}
