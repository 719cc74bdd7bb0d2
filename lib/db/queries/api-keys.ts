import type { DbHandle } from "../client";

export async function findActiveApiKeyByHash({ db }: DbHandle, keyHash: string) {
  return db.apiKey.findFirst({ where: { keyHash, revokedAt: null }, select: { id: true, name: true } });
}

export async function touchApiKey({ db }: DbHandle, id: string) {
  await db.apiKey.update({ where: { id }, data: { lastUsedAt: new Date() } });
}

export async function createApiKey({ db }: DbHandle, row: { id: string; name: string; keyHash: string; prefix: string }) {
  return db.apiKey.create({ data: { ...row, createdAt: new Date() } });
}

export async function listApiKeys({ db }: DbHandle) {
  return db.apiKey.findMany({ orderBy: { createdAt: "desc" }, select: { id: true, name: true, prefix: true, createdAt: true, lastUsedAt: true, revokedAt: true } });
}

export async function revokeApiKey({ db }: DbHandle, id: string) {
  const r = await db.apiKey.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: new Date() } });
  return r.count > 0;
}
