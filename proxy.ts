// Runs before every page and API request (not static files, not the ingest endpoints):
// 1. With an admin password set, nothing but sign-in, shared links and the health check is
//    served without a session or an API key, whatever the request's shape (page, RSC
//    navigation or prefetch, server action, _next/data). Pages, API routes and server
//    actions check again where they read data; this is the outer wall.
// 2. Gives each page a fresh CSP nonce. Next.js reads the nonce from the request's
//    Content-Security-Policy header and puts it on the scripts it renders.
import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageCsp } from "./lib/http/csp";
import { signInRequired } from "./lib/http/auth";
import { isValidSession, SESSION_COOKIE } from "./lib/http/session";
import { safeNextPath } from "./lib/http/next-path";
import { errorResponse } from "./lib/http/errors";

/** Reachable without a session: the sign-in page, shared links (the token is the credential), and public API routes. */
export function isPublicPath(path: string): boolean {
  return (
    path === "/sign-in" ||
    /^\/s\/[^/]+(\/.*)?$/.test(path) ||
    /^\/api\/s\/[^/]+\/.+$/.test(path) ||
    path === "/api/health" ||
    path === "/api/v1/openapi.json" ||
    // The public key that signs evidence: a share link's recipient checks the bundle with it.
    path === "/api/v1/integrity/public-key" ||
    path === "/api/sign-out"
  );
}

export async function proxy(request: NextRequest) {
  const path = request.nextUrl.pathname;
  if (signInRequired() && !isPublicPath(path) && !(await isValidSession(request.cookies.get(SESSION_COOKIE)?.value))) {
    const api = path.startsWith("/api/");
    // API clients send a key; the route checks it (the database holds the keys).
    if (api && request.headers.has("authorization")) return NextResponse.next();
    const page = !api && (request.method === "GET" || request.method === "HEAD") && !request.headers.has("next-action");
    if (!page) return errorResponse(401, "unauthorized", "Sign in, or send an API key: Authorization: Bearer <key>.");
    // A page, RSC navigation or prefetch: to sign-in, and back afterwards (without Next.js's own _rsc parameter).
    const back = new URL(request.nextUrl);
    back.searchParams.delete("_rsc");
    const target = new URL("/sign-in", request.nextUrl);
    target.searchParams.set("next", safeNextPath(back.pathname + back.search));
    return NextResponse.redirect(target, 307);
  }
  if (path.startsWith("/api/")) return NextResponse.next();

  const nonce = newNonce();
  const csp = pageCsp(nonce, process.env.NODE_ENV === "development");
  const headers = new Headers(request.headers);
  headers.set("x-nonce", nonce);
  // Lets the dashboard send a visitor who must sign in back to the page they asked for.
  headers.set("x-verdict-path", request.nextUrl.pathname + request.nextUrl.search);
  headers.set("Content-Security-Policy", csp);
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("Content-Security-Policy", csp);
  return response;
}

export const config = {
  // Everything but static assets and the two ingest endpoints: Next.js buffers the body of
  // every request the proxy sees (up to 10 MB), which ingest bodies must not pay for. Those
  // two only write, and refuse any request without a valid API key (lib/http/route.ts).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|api/v1/ingest|api/v1/otlp).*)"],
};
