import type { DbHandle } from "../client";

export interface NewShare {
  id: string;
  tokenHash: string;
  resourceType: string;
  resourceId: string;
  redactPayloads: boolean;
  createdAt: Date;
  expiresAt: Date;
}

export const insertShare = ({ db }: DbHandle, share: NewShare) => db.share.create({ data: share });

export const listShares = ({ db }: DbHandle) => db.share.findMany({ orderBy: { createdAt: "desc" }, take: 1000 });

export const findShareByTokenHash = ({ db }: DbHandle, tokenHash: string) => db.share.findUnique({ where: { tokenHash } });

export async function revokeShare({ db }: DbHandle, id: string, at: Date): Promise<"revoked" | "already" | "missing"> {
  const share = await db.share.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!share) return "missing";
  if (share.revokedAt) return "already";
  await db.share.update({ where: { id }, data: { revokedAt: at } });
  return "revoked";
}

export const recordShareView = ({ db }: DbHandle, id: string, at: Date) =>
  db.share.update({ where: { id }, data: { viewCount: { increment: 1 }, lastViewedAt: at } });

/** Whether the shared thing exists: an agent with any record, or a stored handoff / intercept. */
export async function resourceExists({ db }: DbHandle, type: string, id: string): Promise<boolean> {
  switch (type) {
    case "intercept":
      return (await db.intercept.count({ where: { id, kind: { not: "filler" } } })) > 0;
    case "handoff":
      return (await db.handoff.count({ where: { id } })) > 0;
    case "agent": {
      const [i, p, h] = await Promise.all([
        db.intercept.findFirst({ where: { agentId: id, kind: { not: "filler" } }, select: { id: true } }),
        db.policyDecision.findFirst({ where: { agentId: id }, select: { id: true } }),
        db.handoff.findFirst({ where: { agentId: id }, select: { id: true } }),
      ]);
      return !!(i || p || h);
    }
    default:
      return false;
  }
}
