// The wrapper every API route goes through: auth, the error envelope, no 5xx details leaked.
import { ApiError, errorResponse } from "./errors";
import { UNSTORABLE_MESSAGE, unstorableTextDetails } from "./unstorable";
import { bearerToken, cookieValue, isValidApiKey, isValidSession, SESSION_COOKIE, signInRequired } from "./auth";
import { clientAddress, failureLimiter } from "./rate-limit";

/** write: API key only. read: API key, or session cookie, or open when no admin password is set. none: public. */
export type Access = "write" | "read" | "none";

const g = globalThis as unknown as { __verdictAuthLimiter?: ReturnType<typeof failureLimiter> };
const limiter = (g.__verdictAuthLimiter ??= failureLimiter(Number(process.env.VERDICT_AUTH_FAILURES_PER_MINUTE ?? 20)));

export async function authorize(req: Request, access: Access): Promise<void> {
  if (access === "none") return;
  const client = clientAddress(req);
  const wait = limiter.blocked(client);
  if (wait > 0) throw new ApiError(429, "rate_limited", `Too many failed authentications; try again in ${wait} s.`, [], { "Retry-After": String(wait) });
  const key = bearerToken(req);
  if (key !== null) {
    if (await isValidApiKey(key)) return;
    limiter.fail(client);
    throw new ApiError(401, "unauthorized", "The API key is not valid.");
  }
  if (access === "read" && (!signInRequired() || isValidSession(cookieValue(req, SESSION_COOKIE)))) return;
  if (access === "write" && req.headers.get("authorization")) limiter.fail(client);
  throw new ApiError(401, "unauthorized", access === "write" ? "Send an API key: Authorization: Bearer <key>." : "Sign in, or send an API key: Authorization: Bearer <key>.");
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
      // Log the failure, never the request: headers and bodies may hold secrets.
      console.error(`[verdict] ${req.method} ${new URL(req.url).pathname} failed:`, e);
      return errorResponse(500, "internal_error", "Verdict could not complete the request; nothing from it was stored. Retrying is safe.");
    }
  };
}
