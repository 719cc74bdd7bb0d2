// The wrapper every API route goes through: auth, the error envelope, no 5xx details leaked.
import { ApiError, errorResponse, isStorageFull, storageFullResponse } from "./errors";
import { bearerToken, cookieValue, isValidApiKey, signInRequired } from "./auth";
import { isValidSession, SESSION_COOKIE } from "./session";
import { clientAddress } from "./peer-address";
import { authLimiter } from "./rate-limit";
import { UNSTORABLE_MESSAGE, unstorableTextDetails } from "./unstorable";

/** write: API key only. read: API key, or session cookie, or open when no admin password is set. none: public. */
export type Access = "write" | "read" | "none";

/**
 * A valid API key or session is always let through; only wrong credentials count as
 * failures (per client address and per credential) and only they are held back (429)
 * once either is over the limit. So nobody can lock ingest out by sending wrong keys.
 */
export async function authorize(req: Request, access: Access): Promise<void> {
  if (access === "none") return;
  const key = bearerToken(req);
  if (key !== null) {
    if (await isValidApiKey(key)) return;
    refuseFailure(req, key, "The API key is not valid.");
  }
  if (access === "read" && (!signInRequired() || (await isValidSession(cookieValue(req, SESSION_COOKIE))))) return;
  // An Authorization header that is not a Bearer key is a failed attempt too (a client-side failure only).
  if (req.headers.get("authorization")) refuseFailure(req, null, "Send an API key: Authorization: Bearer <key>.");
  throw new ApiError(401, "unauthorized", access === "write" ? "Send an API key: Authorization: Bearer <key>." : "Sign in, or send an API key: Authorization: Bearer <key>.");
}

function refuseFailure(req: Request, credential: string | null, message: string): never {
  const limiter = authLimiter();
  const client = clientAddress(req.headers);
  const wait = limiter.blocked(client, credential);
  limiter.fail(client, credential);
  if (wait > 0) throw new ApiError(429, "rate_limited", `Too many failed authentications; try again in ${wait} s.`, [], { "Retry-After": String(wait) });
  throw new ApiError(401, "unauthorized", message);
}

function refuseUnstorableText(query: URLSearchParams, params: Record<string, unknown>): void {
  const details = unstorableTextDetails(query, params);
  if (details.length) throw new ApiError(400, "invalid_request", UNSTORABLE_MESSAGE, details);
}

export type RouteContext<P = Record<string, string>> = { params: Promise<P> };

export function route<P = Record<string, string>>(
  access: Access,
  handler: (req: Request, params: P) => Promise<Response>,
): (req: Request, ctx: RouteContext<P>) => Promise<Response> {
  return async (req, ctx) => {
    try {
      await authorize(req, access);
      const params = ((await ctx?.params) ?? {}) as P;
      refuseUnstorableText(new URL(req.url).searchParams, params as Record<string, unknown>);
      const res = await handler(req, params);
      if (!res.headers.has("Cache-Control")) res.headers.set("Cache-Control", "no-store");
      return res;
    } catch (e) {
      if (e instanceof ApiError) return errorResponse(e.status, e.code, e.message, e.details, e.headers);
      if (isStorageFull(e)) {
        console.error(`[verdict] ${req.method} ${new URL(req.url).pathname} failed: the database's disk is full`);
        return storageFullResponse();
      }
      // Log the failure, never the request: headers and bodies may hold secrets.
      console.error(`[verdict] ${req.method} ${new URL(req.url).pathname} failed:`, e);
      return errorResponse(500, "internal_error", "Verdict could not complete the request; nothing from it was stored. Retrying is safe.");
    }
  };
}
