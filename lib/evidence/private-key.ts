// Reading an Ed25519 private key, with no other dependency: the configuration module checks
// VERDICT_SIGNING_KEY with it at start, and signing-key.ts (which reads the configuration) uses it.
import { createPrivateKey, type KeyObject } from "node:crypto";

export class SigningKeyError extends Error {}

/** A PEM private key, or the base64 of its PKCS#8 DER; throws SigningKeyError (without the key) otherwise. */
export function parsePrivateKey(text: string): KeyObject {
  let key: KeyObject;
  try {
    const t = text.trim();
    key = t.startsWith("-----") ? createPrivateKey(t) : createPrivateKey({ key: Buffer.from(t, "base64"), format: "der", type: "pkcs8" });
  } catch {
    throw new SigningKeyError("is not a PEM (or base64 PKCS#8) private key");
  }
  if (key.asymmetricKeyType !== "ed25519") throw new SigningKeyError(`is a ${key.asymmetricKeyType} key, not Ed25519`);
  return key;
}

