// Dashboard sessions: a cookie holding an expiry and its HMAC. The HMAC key is a secret of
// its own (VERDICT_SESSION_SECRET, else one generated once and stored in the database, so
// every process serving that database agrees), never derived from the admin password: a
// stolen cookie gives nothing to guess the password with offline. The MAC also covers a
// digest of the admin password, so changing the password still ends every session.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { setting } from "../config/server-env";
import { safeEqual, signInRequired } from "./auth";
import { errorResponse } from "./errors";

export const SESSION_COOKIE = "verdict_session";
const SECRET_NAME = "dashboard_session_key";

const g = globalThis as unknown as { __verdictSessionSecret?: Map<string, Promise<string>> };

/** The session key: VERDICT_SESSION_SECRET, or the database's own (made on first use). One lookup per process and database. */
export async function sessionSecret(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const configured = setting("VERDICT_SESSION_SECRET", env);
  if (configured) return configured;
  const cache = (g.__verdictSessionSecret ??= new Map());
  const key = env.DATABASE_URL ?? "";
  let secret = cache.get(key);
  if (!secret) {
    secret = (async () => {
      // A client of its own, closed after this one (cached) read: the first caller may be
      // proxy.ts, and the secret is read once per process, so it need not hold the shared one.
      const [{ createDb }, { loadOrCreateSecret }] = await Promise.all([import("../db/client"), import("../db/queries/server-secrets")]);
      const h = createDb(env);
      try {
        return await loadOrCreateSecret(h, SECRET_NAME, () => randomBytes(32).toString("base64url"));
      } finally {
        await h.db.$disconnect().catch(() => {});
      }
    })();
    cache.set(key, secret);
    secret.catch(() => cache.delete(key)); // a database that was down is asked again next time
  }
  return secret;
}

function mac(secret: string, exp: string, env: NodeJS.ProcessEnv): string {
  const password = createHash("sha256").update(setting("VERDICT_ADMIN_PASSWORD", env) ?? "").digest("base64url");
  return createHmac("sha256", secret).update(`verdict-session.v2.${exp}.${password}`).digest("base64url");
}

/** Seconds a new session lasts (VERDICT_SESSION_MAX_AGE, default 7 days). */
export function sessionMaxAge(env: NodeJS.ProcessEnv = process.env): number {
  return setting("VERDICT_SESSION_MAX_AGE", env);
}

/** A new session value: "<expiry>.<mac>". */
export async function makeSession(env: NodeJS.ProcessEnv = process.env, ttlSeconds = sessionMaxAge(env), now = Date.now()): Promise<string> {
  const exp = String(Math.floor(now / 1000) + ttlSeconds);
  return `${exp}.${mac(await sessionSecret(env), exp, env)}`;
}

export async function isValidSession(value: string | undefined | null, env: NodeJS.ProcessEnv = process.env, now = Date.now()): Promise<boolean> {
  if (!value || !signInRequired(env)) return false;
  const [exp, given, ...rest] = value.split(".");
  if (!exp || !given || rest.length || !/^\d{1,12}$/.test(exp) || Number(exp) * 1000 < now) return false;
  return safeEqual(given, mac(await sessionSecret(env), exp, env));
}

/**
 * Whether the site is served over https as the browser sees it, so the session cookie gets
 * `Secure`: the browser's Origin (sent with every sign-in form post) or a proxy's
 * X-Forwarded-Proto. Either can only add `Secure`, never take it away from an https site.
 */
export function servedOverHttps(headers: Headers, requestUrl?: string): boolean {
  const origin = headers.get("origin") ?? "";
  const proto = (headers.get("x-forwarded-proto") ?? "").split(",")[0].trim().toLowerCase();
  return origin.startsWith("https://") || proto === "https" || (requestUrl?.startsWith("https://") ?? false);
}

export function sessionCookieOptions(headers: Headers, env: NodeJS.ProcessEnv = process.env) {
  return { httpOnly: true, sameSite: "lax" as const, secure: servedOverHttps(headers), path: "/", maxAge: sessionMaxAge(env) };
}

/**
 * The answer to a sign-out: the session cookie cleared, then the sign-in page. Refused (403)
 * when the browser says the form was posted from another site, so no page elsewhere can
 * sign a user out.
 */
export function signOutResponse(req: Request): Response {
  const origin = req.headers.get("origin");
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (origin && origin !== "null" && host && new URL(origin).host !== host) {
    return errorResponse(403, "forbidden", "Sign out from Verdict's own pages.");
  }
  const secure = servedOverHttps(req.headers, req.url) ? "; Secure" : "";
  return new Response(null, {
    status: 303,
    headers: { Location: "/sign-in", "Set-Cookie": `${SESSION_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`, "Cache-Control": "no-store" },
  });
}
