// Verdict's Ed25519 signing key (node:crypto), kept outside the database: the key in
// VERDICT_SIGNING_KEY, or the file VERDICT_SIGNING_KEY_FILE (default: signing-key.pem next to
// the SQLite file, or ./data/signing-key.pem with PostgreSQL), created with mode 0600 on first
// start. The private key is never logged, returned or stored in the database; its public key is
// (signing_keys), with the keys it replaced, so older signatures stay verifiable after a rotation.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from "node:crypto";
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import { databaseConfig, dataDirectory } from "../db/config";

import { parsePrivateKey, SigningKeyError } from "./private-key";
import { setting } from "../config/server-env";

export { parsePrivateKey, SigningKeyError };

export interface SigningKey {
  privateKey: KeyObject;
  publicKeyPem: string;
  fingerprint: string;
  /** where it came from, for messages: "VERDICT_SIGNING_KEY" or the file path */
  origin: string;
}

/** sha256 of the public key's SPKI DER encoding, hex: what a person compares. */
export function fingerprintOf(publicKey: KeyObject | string): string {
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  return createHash("sha256").update(key.export({ type: "spki", format: "der" })).digest("hex");
}

/** 64 hex digits in groups of four, easier to read aloud and compare. */
export const formatFingerprint = (fp: string): string => fp.match(/.{1,4}/g)!.join(" ");

export function signingKeyFile(env: Record<string, string | undefined> = process.env): string {
  const file = setting("VERDICT_SIGNING_KEY_FILE", env);
  if (file) return path.resolve(file);
  return path.join(dataDirectory(databaseConfig(env)), "signing-key.pem");
}

function keyOf(privateKey: KeyObject, origin: string): SigningKey {
  const pub = createPublicKey(privateKey);
  return { privateKey, publicKeyPem: pub.export({ type: "spki", format: "pem" }).toString(), fingerprint: fingerprintOf(pub), origin };
}

/** Writes a new key to `file` (0600, via a temporary file and rename: never half a key). */
export function writeNewKeyFile(file: string): SigningKey {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.new`;
  const key = writeKey(tmp);
  renameSync(tmp, file);
  return keyOf(key, file);
}

function writeKey(file: string): KeyObject {
  const { privateKey } = generateKeyPairSync("ed25519");
  const fd = openSync(file, "wx", 0o600);
  try {
    writeSync(fd, privateKey.export({ type: "pkcs8", format: "pem" }).toString());
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  return privateKey;
}

const g = globalThis as unknown as { __verdictSigningKey?: { source: string; mtimeMs: number; key: SigningKey } };

/**
 * The current signing key: from the environment, else the file (created when absent).
 * Re-read when the file changes, so a rotation by the CLI reaches a running server.
 */
export function signingKey(env: Record<string, string | undefined> = process.env): SigningKey {
  const inline = setting("VERDICT_SIGNING_KEY", env)?.trim();
  if (inline) {
    if (g.__verdictSigningKey?.source === "env" && env === process.env) return g.__verdictSigningKey.key;
    let key: KeyObject;
    try {
      key = parsePrivateKey(inline);
    } catch (e) {
      throw new SigningKeyError(`VERDICT_SIGNING_KEY ${(e as Error).message}`);
    }
    const k = keyOf(key, "VERDICT_SIGNING_KEY");
    if (env === process.env) g.__verdictSigningKey = { source: "env", mtimeMs: 0, key: k };
    return k;
  }
  const file = signingKeyFile(env);
  if (!existsSync(file)) {
    const k = createKeyFileOnce(file);
    if (k) return remember(file, k);
  }
  const mtimeMs = statSync(file).mtimeMs;
  const cached = g.__verdictSigningKey;
  if (cached && cached.source === file && cached.mtimeMs === mtimeMs) return cached.key;
  let key: KeyObject;
  try {
    key = parsePrivateKey(readFileSync(file, "utf8"));
  } catch (e) {
    throw new SigningKeyError(`The signing key file ${file} ${(e as Error).message}`);
  }
  return remember(file, keyOf(key, file));
}

function remember(file: string, key: SigningKey): SigningKey {
  g.__verdictSigningKey = { source: file, mtimeMs: statSync(file).mtimeMs, key };
  return key;
}

/** Creates the key file unless another process got there first (then null: read theirs). */
function createKeyFileOnce(file: string): SigningKey | null {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.${Date.now()}.new`;
  const key = writeKey(tmp);
  try {
    linkSync(tmp, file); // atomic, and fails if the file exists: two first starts make one key
    return keyOf(key, file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "EEXIST") return null;
    throw e;
  } finally {
    unlinkSync(tmp);
  }
}

/** Ed25519 signature (base64) of `message`. */
export function signText(key: SigningKey, message: string): string {
  return sign(null, Buffer.from(message, "utf8"), key.privateKey).toString("base64");
}

export function verifyText(publicKeyPem: string, message: string, signatureBase64: string): boolean {
  try {
    const pub = createPublicKey(publicKeyPem);
    if (pub.asymmetricKeyType !== "ed25519") return false;
    return verify(null, Buffer.from(message, "utf8"), pub, Buffer.from(signatureBase64, "base64"));
  } catch {
    return false;
  }
}
