// Who may call: a Bearer API key (VERDICT_API_KEY, or keys made by `verdict keys create`,
// stored hashed) for writes and reads; the dashboard's session cookie for reads.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { getDb } from "../db/client";
import { findActiveApiKeyByHash, touchApiKey } from "../db/queries/api-keys";

export const SESSION_COOKIE = "verdict_session";

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
  const configured = env.VERDICT_API_KEY;
  if (configured && safeEqual(key, configured)) return true;
  const { db } = getDb();
  const found = await findActiveApiKeyByHash(db, hashKey(key));
  if (found) await touchApiKey(db, found.id).catch(() => {});
  return !!found;
}

/** Sign-in is required for pages and reads only when an admin password is set. */
export function signInRequired(env: NodeJS.ProcessEnv = process.env): boolean {
  return !!env.VERDICT_ADMIN_PASSWORD;
}

function sessionSecret(env: NodeJS.ProcessEnv): string {
  return env.VERDICT_SESSION_SECRET || `verdict-session:${env.VERDICT_ADMIN_PASSWORD ?? ""}`;
}

/** A session value: expiry and its HMAC (changing the password ends every session). */
export function makeSession(env: NodeJS.ProcessEnv = process.env, ttlSeconds = 7 * 24 * 3600, now = Date.now()): string {
  const exp = Math.floor(now / 1000) + ttlSeconds;
  const mac = createHmac("sha256", sessionSecret(env)).update(String(exp)).digest("base64url");
  return `${exp}.${mac}`;
}

export function isValidSession(value: string | undefined | null, env: NodeJS.ProcessEnv = process.env, now = Date.now()): boolean {
  if (!value) return false;
  const [exp, mac] = value.split(".");
  if (!exp || !mac || !/^\d+$/.test(exp) || Number(exp) * 1000 < now) return false;
  const expected = createHmac("sha256", sessionSecret(env)).update(exp).digest("base64url");
  return safeEqual(mac, expected);
}

export function cookieValue(req: Request, name: string): string | null {
  const header = req.headers.get("cookie") ?? "";
  for (const part of header.split(";")) {
    const [k, ...v] = part.trim().split("=");
    if (k === name) return decodeURIComponent(v.join("="));
  }
  return null;
}
