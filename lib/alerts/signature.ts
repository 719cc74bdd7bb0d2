// The webhook signature: Verdict-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>.
// Receivers verify with the recipe in docs/alerts.md; this is the same computation.
import { createHmac, randomBytes } from "node:crypto";

/** A rule's signing secret: 32 random bytes, shown to the user once. */
export const newSigningSecret = () => `whsec_${randomBytes(32).toString("base64url")}`;

export function signatureOf(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`, "utf8").digest("hex")}`;
}
