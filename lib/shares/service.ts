// Creating, listing, revoking and opening share links. The API routes, the dashboard's
// server actions and the shared page all go through these.
import { getDb } from "../db/client";
import { findShareByTokenHash, insertShare, listShares, recordShareView, resourceExists, revokeShare } from "../db/queries/shares";
import { newId } from "../records/ids";
import { now } from "../clock";
import { createShareSchema, type CreateShareInput, type ShareResourceType, type ShareView } from "../api-contract/shares";
import { createShareToken, expiresAt, hashShareToken, looksLikeToken, shareStatus, tokenMatches } from "./tokens";
import { ApiError, notFound, zodDetails } from "../http/errors";

export async function createShare(input: CreateShareInput): Promise<{ id: string; url: string; expires_at: string }> {
  const parsed = createShareSchema.safeParse(input);
  if (!parsed.success) throw new ApiError(400, "invalid_request", "Some fields are not valid.", zodDetails(parsed.error));
  const { resource_type, resource_id, expires_in_seconds, redact_payloads } = parsed.data;
  const h = getDb();
  if (!(await resourceExists(h, resource_type, resource_id))) throw notFound(`The ${resource_type} "${resource_id}"`);
  const token = createShareToken();
  const created = now();
  const share = await insertShare(h, {
    id: newId("shr"),
    tokenHash: hashShareToken(token),
    resourceType: resource_type,
    resourceId: resource_id,
    redactPayloads: redact_payloads,
    createdAt: created,
    expiresAt: expiresAt(created, expires_in_seconds),
  });
  return { id: share.id, url: `/s/${token}`, expires_at: share.expiresAt.toISOString() };
}

export async function listShareViews(): Promise<ShareView[]> {
  const at = now();
  return (await listShares(getDb())).map((s) => ({
    id: s.id,
    resource_type: s.resourceType as ShareResourceType,
    resource_id: s.resourceId,
    redact_payloads: s.redactPayloads,
    created_at: s.createdAt.toISOString(),
    expires_at: s.expiresAt.toISOString(),
    revoked_at: s.revokedAt?.toISOString() ?? null,
    status: shareStatus(s, at),
    view_count: s.viewCount,
    last_viewed_at: s.lastViewedAt?.toISOString() ?? null,
  }));
}

export async function revoke(id: string): Promise<void> {
  const r = await revokeShare(getDb(), id, now());
  if (r === "missing") throw notFound(`The share link "${id}"`);
}

export interface OpenShare {
  id: string;
  resourceType: ShareResourceType;
  resourceId: string;
  redactPayloads: boolean;
  expiresAt: Date;
}

/**
 * The share a token opens, or null when it is unknown, expired or revoked — the caller
 * answers the same 404 for all three, so a visitor cannot tell which.
 */
export async function openShare(token: string, { countView = false } = {}): Promise<OpenShare | null> {
  if (!looksLikeToken(token)) return null;
  const h = getDb();
  const share = await findShareByTokenHash(h, hashShareToken(token));
  if (!share || !tokenMatches(token, share.tokenHash)) return null;
  const at = now();
  if (shareStatus(share, at) !== "active") return null;
  if (countView) await recordShareView(h, share.id, at);
  return { id: share.id, resourceType: share.resourceType as ShareResourceType, resourceId: share.resourceId, redactPayloads: share.redactPayloads, expiresAt: share.expiresAt };
}
