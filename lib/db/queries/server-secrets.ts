import type { DbHandle } from "../client";

/**
 * The secret stored under `name`, made with `make()` and stored the first time. Two
 * processes starting together may both try to store one; the primary key keeps the first,
 * and both read back that same value.
 */
export async function loadOrCreateSecret({ db }: DbHandle, name: string, make: () => string): Promise<string> {
  const found = await db.serverSecret.findUnique({ where: { name } });
  if (found) return found.value;
  try {
    await db.serverSecret.create({ data: { name, value: make(), createdAt: new Date() } });
  } catch (e) {
    if ((e as { code?: string }).code !== "P2002") throw e; // another process stored it first
  }
  return (await db.serverSecret.findUniqueOrThrow({ where: { name } })).value;
}
