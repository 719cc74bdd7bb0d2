import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { clientAddress, normalizeAddress, PEER_HEADER } from "./peer-address";

const headers = (peer: string | null, xff?: string) => {
  const h = new Headers();
  if (peer) h.set(PEER_HEADER, peer);
  if (xff !== undefined) h.set("x-forwarded-for", xff);
  return h;
};

describe("the client address a rate limit keys on", () => {
  beforeAll(() => {
    (globalThis as { __verdictPeerHook?: boolean }).__verdictPeerHook = true; // as instrumentation.ts does in the server
  });
  afterEach(() => {
    delete process.env.VERDICT_TRUSTED_PROXIES;
  });

  it("is the peer, whatever X-Forwarded-For says, when no proxy is trusted", () => {
    expect(clientAddress(headers("198.51.100.7", "1.2.3.4"))).toBe("198.51.100.7");
    expect(clientAddress(headers("::ffff:198.51.100.7"))).toBe("::ffff:198.51.100.7");
    expect(normalizeAddress("::ffff:198.51.100.7")).toBe("198.51.100.7");
  });

  it("behind a trusted proxy, is the right-most hop that is not a trusted proxy", () => {
    process.env.VERDICT_TRUSTED_PROXIES = "10.0.0.0/8, 192.0.2.1";
    expect(clientAddress(headers("10.0.0.5", "203.0.113.9"))).toBe("203.0.113.9");
    // the client wrote "1.1.1.1" itself; the proxy appended the address it saw
    expect(clientAddress(headers("10.0.0.5", "1.1.1.1, 203.0.113.9"))).toBe("203.0.113.9");
    expect(clientAddress(headers("10.0.0.5", "1.1.1.1, 203.0.113.9, 192.0.2.1"))).toBe("203.0.113.9");
    // a peer that is not a trusted proxy is believed about nothing
    expect(clientAddress(headers("203.0.113.50", "10.0.0.1"))).toBe("203.0.113.50");
    expect(clientAddress(headers("10.0.0.5", "garbage"))).toBe("invalid:garbage");
  });

  it("without the server's hook, a client-sent peer header is ignored", () => {
    const g = globalThis as { __verdictPeerHook?: boolean };
    g.__verdictPeerHook = false;
    try {
      expect(clientAddress(headers("198.51.100.7"))).toBe("unknown");
    } finally {
      g.__verdictPeerHook = true;
    }
  });
});
