// The data requests of a shared page: authorized by the share token alone, scoped to the
// shared resource, with the headers every shared response carries.
import { ApiError, errorResponse } from "../http/errors";
import { openShare, type OpenShare } from "./service";

export const SHARED_HEADERS = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
} as const;

const NOT_VALID = "This link is not valid, or it does not cover that record.";

/** The handler answers data (sent as JSON), a Response (sent as is, with the shared headers), or null (404). */
export function sharedRoute<P extends { token: string }>(handler: (req: Request, share: OpenShare, params: P) => Promise<unknown | null>) {
  return async (req: Request, ctx: { params: Promise<P> }): Promise<Response> => {
    try {
      const params = await ctx.params;
      const share = await openShare(params.token);
      const body = share ? await handler(req, share, params) : null;
      // Unknown token, expired, revoked, or outside the share: one answer for all.
      if (body === null) return errorResponse(404, "not_found", NOT_VALID, [], SHARED_HEADERS);
      if (body instanceof Response) {
        for (const [k, v] of Object.entries(SHARED_HEADERS)) body.headers.set(k, v);
        return body;
      }
      return Response.json(body, { headers: SHARED_HEADERS });
    } catch (e) {
      if (e instanceof ApiError) return errorResponse(e.status, e.code, e.message, e.details, SHARED_HEADERS);
      console.error("[verdict] shared data request failed:", e);
      return errorResponse(500, "internal_error", "Verdict could not answer this request.", [], SHARED_HEADERS);
    }
  };
}
