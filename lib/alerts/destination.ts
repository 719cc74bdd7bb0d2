// Where a rule may send: https anywhere, http only to this machine and only when the operator
// allowed it (VERDICT_WEBHOOKS_ALLOW_HTTP=1, for receivers in development and tests).
import { setting } from "../config/server-env";

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopbackHost(hostname: string): boolean {
  return LOOPBACK.has(hostname.toLowerCase()) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname);
}

/** Why the URL may not be a destination, or null when it may. */
export function destinationProblem(raw: string, env: Record<string, string | undefined> = process.env): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL (https://...)";
  }
  if (url.username || url.password) return "must not hold a user name or password";
  if (url.protocol === "https:") return null;
  if (url.protocol !== "http:") return "must be an https:// URL";
  if (!setting("VERDICT_WEBHOOKS_ALLOW_HTTP", env)) return "must be an https:// URL (http:// is refused unless VERDICT_WEBHOOKS_ALLOW_HTTP=1, and then only to loopback)";
  if (!isLoopbackHost(url.hostname)) return "http:// is allowed only to loopback (localhost, 127.0.0.1, ::1)";
  return null;
}

/**
 * The URL as reads show it. A Slack incoming-webhook URL is itself the credential, so its
 * path is cut after the first segment; a webhook URL loses its query string (tokens live there).
 */
export function displayUrl(raw: string, type: "webhook" | "slack"): string {
  const url = new URL(raw);
  if (type === "slack") {
    const first = url.pathname.split("/").filter(Boolean)[0];
    return `${url.origin}/${first ? `${first}/…` : ""}`;
  }
  return `${url.origin}${url.pathname}${url.search ? "?…" : ""}`;
}
