import { randomBytes } from "node:crypto";
import { getDb } from "../db/client";
import { createApiKey, listApiKeys, revokeApiKey } from "../db/queries/api-keys";
import { hashKey } from "../http/auth";
import { newId } from "../records/ids";

/** A new API key: shown once, stored only as its SHA-256. 192 random bits. */
export async function createKey(name: string): Promise<{ id: string; key: string }> {
  const key = `vk_${randomBytes(24).toString("base64url")}`;
  const id = newId("key");
  await createApiKey(getDb(), { id, name, keyHash: hashKey(key), prefix: key.slice(0, 7) });
  return { id, key };
}

export async function keysCommand(args: string[], out: (s: string) => void): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === "create") {
    const name = rest.find((a) => !a.startsWith("-")) ?? "default";
    const { id, key } = await createKey(name);
    out(`Created API key ${id} (${name}). It is shown only now; Verdict keeps only its hash:\n\n  ${key}\n\nUse it as: Authorization: Bearer ${key}`);
    return 0;
  }
  if (sub === "list") {
    const keys = await listApiKeys(getDb());
    if (!keys.length) out("No API keys. Create one with: npx verdict keys create <name>");
    for (const k of keys) out(`${k.id}  ${k.prefix}…  ${k.name}  created ${k.createdAt.toISOString()}  ${k.revokedAt ? "REVOKED" : k.lastUsedAt ? `last used ${k.lastUsedAt.toISOString()}` : "never used"}`);
    return 0;
  }
  if (sub === "revoke" && rest[0]) {
    const ok = await revokeApiKey(getDb(), rest[0]);
    out(ok ? `Revoked ${rest[0]}.` : `No active key ${rest[0]}.`);
    return ok ? 0 : 1;
  }
  out("usage: verdict keys create <name> | verdict keys list | verdict keys revoke <id>");
  return 2;
}
