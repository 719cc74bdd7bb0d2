import { describe, expect, it } from "vitest";
import { createShareToken, expiresAt, hashShareToken, looksLikeToken, shareStatus, tokenMatches, DEFAULT_EXPIRY_SECONDS } from "./tokens";

describe("share tokens", () => {
  it("have 256 random bits and never repeat", () => {
    const tokens = new Set(Array.from({ length: 1000 }, createShareToken));
    expect(tokens.size).toBe(1000);
    for (const t of [...tokens].slice(0, 20)) {
      expect(Buffer.from(t, "base64url").length).toBe(32);
      expect(looksLikeToken(t)).toBe(true);
    }
  });

  it("are stored as a SHA-256 hash that does not contain the token", () => {
    const t = createShareToken();
    const h = hashShareToken(t);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain(t);
    expect(tokenMatches(t, h)).toBe(true);
    expect(tokenMatches(createShareToken(), h)).toBe(false);
    expect(tokenMatches(t, "00")).toBe(false);
  });

  it("reject what cannot be a token", () => {
    expect(looksLikeToken("../etc/passwd")).toBe(false);
    expect(looksLikeToken("a".repeat(42))).toBe(false);
  });

  it("expire after 7 days by default, exactly at the expiry instant", () => {
    const created = new Date("2026-11-21T00:00:00Z");
    const exp = expiresAt(created);
    expect(exp.getTime() - created.getTime()).toBe(DEFAULT_EXPIRY_SECONDS * 1000);
    expect(shareStatus({ expiresAt: exp, revokedAt: null }, new Date(exp.getTime() - 1))).toBe("active");
    expect(shareStatus({ expiresAt: exp, revokedAt: null }, exp)).toBe("expired");
    expect(shareStatus({ expiresAt: exp, revokedAt: created }, created)).toBe("revoked");
  });
});
