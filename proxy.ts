// Runs before every page: gives the request a fresh CSP nonce. Next.js reads the nonce from
// the request's Content-Security-Policy header and puts it on the scripts it renders.
import { NextResponse, type NextRequest } from "next/server";
import { newNonce, pageCsp } from "./lib/http/csp";

export function proxy(request: NextRequest) {
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
  // Pages only: API routes get their own fixed policy (next.config.mjs), static assets none.
  matcher: ["/((?!api/|_next/static|_next/image|favicon.ico).*)"],
};
