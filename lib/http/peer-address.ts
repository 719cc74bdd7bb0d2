// Who is on the other end of the connection. Next.js 16 hands route handlers and the proxy
// a Request without the socket, and the X-Forwarded-For it adds is the client's own when the
// client sent one, so neither can key a rate limit. instrumentation.ts therefore installs a
// hook on node:http's Server that writes the socket's address into PEER_HEADER on every
// request, overwriting whatever the client sent under that name. The header is believed
// only when this process installed the hook (a flag on globalThis, shared by every bundle).
import type { IncomingMessage } from "node:http";
import { isIP } from "node:net";
import { setting, trustedProxyList } from "../config/server-env";

export const PEER_HEADER = "x-verdict-peer-address";

type Hooked = { __verdictPeerHook?: boolean; __verdictTrusted?: { key: string; list: ReturnType<typeof trustedProxyList> } };
const g = globalThis as unknown as Hooked;

/** "::ffff:10.0.0.1" (IPv4 on a dual-stack socket) → "10.0.0.1". */
export function normalizeAddress(address: string | undefined | null): string | null {
  if (!address) return null;
  const a = address.trim().replace(/^\[|\]$/g, "");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(a);
  return mapped ? mapped[1] : a;
}

/** Installs the hook on node:http (and node:https) servers of this process; idempotent. */
export async function installPeerAddressHook(): Promise<void> {
  if (g.__verdictPeerHook) return;
  const [http, https] = await Promise.all([import("node:http"), import("node:https")]);
  for (const proto of [http.Server.prototype, https.Server.prototype] as { emit: (...a: unknown[]) => boolean }[]) {
    const original = proto.emit;
    proto.emit = function (this: unknown, event: unknown, ...args: unknown[]) {
      if (event === "request" || event === "checkContinue" || event === "checkExpectation") {
        const req = args[0] as IncomingMessage;
        req.headers[PEER_HEADER] = normalizeAddress(req.socket?.remoteAddress) ?? "unknown";
      }
      return original.call(this, event, ...args);
    };
  }
  g.__verdictPeerHook = true;
}

/** The socket's address as the hook recorded it; "unknown" without the hook (e.g. a handler called directly). */
export function peerAddress(headers: Headers): string {
  return (g.__verdictPeerHook && headers.get(PEER_HEADER)) || "unknown";
}

function trusted() {
  const items = setting("VERDICT_TRUSTED_PROXIES");
  const key = items.join(",");
  if (g.__verdictTrusted?.key !== key) g.__verdictTrusted = { key, list: trustedProxyList(items) };
  return items.length ? g.__verdictTrusted.list : null;
}

const familyOf = (a: string) => (isIP(a) === 6 ? "ipv6" : "ipv4");

/**
 * The client's address for rate limiting: the peer, unless the peer is a proxy listed in
 * VERDICT_TRUSTED_PROXIES; then the right-most X-Forwarded-For hop that is not a trusted
 * proxy (hops left of it were written by the client and prove nothing).
 */
export function clientAddress(headers: Headers): string {
  const peer = peerAddress(headers);
  const list = trusted();
  if (!list || !isIP(peer) || !list.check(peer, familyOf(peer))) return peer;
  const hops = (headers.get("x-forwarded-for") ?? "").split(",").map((h) => normalizeAddress(h) ?? "").filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i];
    if (!isIP(hop)) return `invalid:${hop.slice(0, 64)}`; // garbage from the client side: its own bucket
    if (!list.check(hop, familyOf(hop))) return hop;
  }
  return hops[0] ?? peer; // every hop is a trusted proxy: the request started inside
}
