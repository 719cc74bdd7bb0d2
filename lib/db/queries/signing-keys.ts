// The public keys that have signed Verdict's evidence (never the private key): the current
// one and those it replaced, so a bundle signed before a rotation still names a known key.
import type { DbHandle } from "../client";
import { execute, query } from "../sql";
import { signingKey, type SigningKey } from "../../evidence/signing-key";

export interface PublicKeyEntry {
  fingerprint: string;
  public_key: string;
  created_at: string;
  retired_at: string | null;
  current: boolean;
}

const iso = (v: unknown) => (v === null || v === undefined ? null : new Date(Number(v)).toISOString());

/** Records the key's public half (once) and retires the keys before it. */
export async function registerSigningKey(h: DbHandle, key: SigningKey): Promise<void> {
  const { db: tx, dialect } = h;
  const at = Date.now();
  await execute(tx, dialect, `INSERT INTO "signing_keys" ("fingerprint", "public_key", "created_at", "retired_at") VALUES (?, ?, ?, NULL) ON CONFLICT ("fingerprint") DO UPDATE SET "retired_at" = NULL`, [key.fingerprint, key.publicKeyPem, at]);
  await execute(tx, dialect, `UPDATE "signing_keys" SET "retired_at" = ? WHERE "retired_at" IS NULL AND "fingerprint" <> ?`, [at, key.fingerprint]);
}

const g = globalThis as unknown as { __verdictRegisteredKey?: string };

/** The current signing key, its public key registered in this database. */
export async function currentSigningKey(h: DbHandle): Promise<SigningKey> {
  const key = signingKey();
  if (g.__verdictRegisteredKey !== key.fingerprint) {
    await registerSigningKey(h, key);
    g.__verdictRegisteredKey = key.fingerprint;
  }
  return key;
}

export async function publicKeys(h: DbHandle): Promise<PublicKeyEntry[]> {
  const { db: tx, dialect } = h;
  const current = await currentSigningKey(h);
  const rows = await query<Record<string, unknown>>(tx, dialect, `SELECT * FROM "signing_keys" ORDER BY "created_at" DESC, "fingerprint"`);
  return rows.map((r) => ({
    fingerprint: String(r.fingerprint),
    public_key: String(r.public_key),
    created_at: iso(r.created_at)!,
    retired_at: iso(r.retired_at),
    current: String(r.fingerprint) === current.fingerprint,
  }));
}
