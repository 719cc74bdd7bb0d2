// Who may call: a Bearer API key (VERDICT_API_KEY, or keys made by `verdict keys create`,
// stored hashed) for writes and reads; the dashboard's session cookie for reads.
import { createHash, timingSafeEqual } from "node:crypto";
import { getDb } from "../db/client";
import { findActiveApiKeyByHash, touchApiKey } from "../db/queries/api-keys";
import { setting } from "../config/server-env";

export function hashKey(key: string): string {
  return createHash("sha256").update(key, "utf8").digest("hex");
}

/** Constant-time equality of two strings (compared as SHA-256 digests, so lengths leak nothing). */
export function safeEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash("sha256").update(a).digest(), createHash("sha256").update(b).digest());
}

export function bearerToken(req: Request): string | null {
  const h = req.headers.get("authorization");
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1] : null;
}

export async function isValidApiKey(key: string, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const configured = setting("VERDICT_API_KEY", env);
  if (configured && safeEqual(key, configured)) return true;
  const h = getDb();
  const found = await findActiveApiKeyByHash(h, hashKey(key));
  if (found) await touchApiKey(h, found.id).catch(() => {});
  return !!found;
}

/**
 * Who a valid key is, as a review records it: the name given at `verdict keys create`, or
 * VERDICT_API_KEY for the key from the environment. Null for a key that is not valid.
 */
export async function apiKeyName(key: string, env: NodeJS.ProcessEnv = process.env): Promise<string | null> {
  const configured = setting("VERDICT_API_KEY", env);
  if (configured && safeEqual(key, configured)) return "API key VERDICT_API_KEY";
  const found = await findActiveApiKeyByHash(getDb(), hashKey(key));
  return found ? `API key "${found.name}"` : null;
}

/** Sign-in is required for pages and reads only when an admin password is set. */
export function signInRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!setting("VERDICT_ADMIN_PASSWORD", env);
}

export function cookieValue(req: Request, name: string): string | null {
  const header = req.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}
