// Share-link tokens: 256 bits from the CSPRNG, shown once in the link, stored only as
// their SHA-256, looked up by that hash and compared in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

import { DEFAULT_EXPIRY_SECONDS } from "../api-contract/shares";
export { DEFAULT_EXPIRY_SECONDS, MAX_EXPIRY_SECONDS, MIN_EXPIRY_SECONDS } from "../api-contract/shares";
const TOKEN_BYTES = 32;

export function createShareToken(): string {
  return randomBytes(TOKEN_BYTES).toString("base64url");
}

export function hashShareToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

/** Whether a presented token matches a stored hash, in time independent of where they differ. */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashShareToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A syntactically possible token (43 base64url characters); anything else is not looked up. */
export function looksLikeToken(token: string): boolean {
  return /^[A-Za-z0-9_-]{43}$/.test(token);
}

export function expiresAt(createdAt: Date, expiresInSeconds = DEFAULT_EXPIRY_SECONDS): Date {
  return new Date(createdAt.getTime() + expiresInSeconds * 1000);
}

export type ShareStatus = "active" | "expired" | "revoked";

export function shareStatus(share: { expiresAt: Date; revokedAt: Date | null }, at: Date): ShareStatus {
  if (share.revokedAt) return "revoked";
  return share.expiresAt.getTime() <= at.getTime() ? "expired" : "active";
}
