// The evidence of exactly what a share link shows (docs/evidence.md): its records, and for a
// handoff the intercepts its page cites. With redaction, bodies travel as their SHA-256, so
// the bundle verifies without revealing them.
import { getDb } from "../db/client";
import { getHandoffDetail } from "../handoffs/service";
import { evidenceDigest, exportBundle, type ExportSelection } from "../evidence-chain/export";
import { citedInterceptIds } from "../analysis/handoff-analysis";
import type { OpenShare } from "./service";
import { currentSigningKey } from "../db/queries/signing-keys";

export async function sharedSelection(share: OpenShare): Promise<ExportSelection | null> {
  const redact = share.redactPayloads;
  if (share.resourceType === "intercept") return { ids: [{ table: "intercepts", ids: [share.resourceId] }], redact };
  if (share.resourceType === "agent") return { agentId: share.resourceId, redact };
  const detail = await getHandoffDetail(share.resourceId);
  if (!detail) return null;
  return { ids: [{ table: "handoffs", ids: [share.resourceId] }, { table: "intercepts", ids: [...citedInterceptIds(detail.analysis)] }], redact };
}

export async function sharedEvidenceBundle(share: OpenShare): Promise<AsyncGenerator<string> | null> {
  const sel = await sharedSelection(share);
  if (!sel) return null;
  const h = getDb();
  return exportBundle(h, sel);
}

/** The records root the shared bundle will carry: what the page shows as its evidence digest. */
export async function sharedEvidenceDigest(share: OpenShare): Promise<{ root: string; records: number } | null> {
  const sel = await sharedSelection(share);
  if (!sel) return null;
  const h = getDb();
  return evidenceDigest(h, sel);
}

/** What the shared page says about its evidence: the digest, how many records, and the signing key's fingerprint. */
export async function sharedEvidenceSummary(share: OpenShare): Promise<{ root: string; records: number; fingerprint: string } | null> {
  const digest = await sharedEvidenceDigest(share);
  if (!digest) return null;
  const h = getDb();
  const key = await currentSigningKey(h);
  return { ...digest, fingerprint: key.fingerprint };
}
