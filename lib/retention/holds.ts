// Legal holds and the retention policy, as the API routes and the Settings page's server
// actions both use them (docs/retention.md).
import { getDb } from "../db/client";
import { listLegalHolds, type LegalHold } from "../db/queries/legal-holds";
import { createLegalHold, releaseCaughtHold, releaseLegalHold } from "./legal-holds";
import { listDeletions, type DeletionView } from "../db/queries/deletions";
import type { CreateLegalHoldInput } from "../api-contract/retention";
import { retentionPolicy, writeStoredRetention, type RetentionPolicy, type StoredRetention } from "./service";

export async function holdsList(includeReleased = false): Promise<LegalHold[]> {
  const h = getDb();
  return listLegalHolds(h, { includeReleased });
}

export async function placeHold(input: CreateLegalHoldInput, actor: string): Promise<LegalHold> {
  const h = getDb();
  return createLegalHold(h, input, actor);
}

export async function releaseHold(id: string, actor: string, reason: string): Promise<LegalHold> {
  const h = getDb();
  return releaseLegalHold(h, id, actor, reason);
}

export async function releaseCaught(handoffId: string, actor: string, reason: string): Promise<LegalHold> {
  const h = getDb();
  return releaseCaughtHold(h, handoffId, actor, reason);
}

export async function currentRetention(): Promise<RetentionPolicy> {
  const h = getDb();
  return retentionPolicy(h);
}

export async function storeRetention(value: StoredRetention): Promise<RetentionPolicy> {
  const h = getDb();
  await writeStoredRetention(h, value);
  return retentionPolicy(h);
}

export async function deletionLog(limit = 100): Promise<DeletionView[]> {
  const h = getDb();
  return listDeletions(h, limit);
}
