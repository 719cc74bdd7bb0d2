// Export bundles (docs/evidence.md): the selected records as stored, each with its hash, its
// place in its evidence batch and the Merkle proof to that batch's root, then a signed
// manifest. Produced line by line (NDJSON) from keyset-paged reads (lib/db/queries/export.ts):
// memory stays bounded by one page and a few batches, whatever the number of records.
import { createHash } from "node:crypto";
import type { DbHandle } from "../db/client";
import { bundleRow, RECORD_TABLES, type RecordTable } from "../evidence/canonical";
import { leafHash, MerkleTree, StreamingMerkle } from "../evidence/merkle";
import { BUNDLE_FORMAT, manifestMessage, type BundleBatchLine, type BundleManifest, type BundleRecordLine } from "../evidence/bundle";
import { signText } from "../evidence/signing-key";
import { batchesAfter, batchesByIds, chainHead, type BatchRow } from "../db/queries/evidence";
import { currentSigningKey } from "../db/queries/signing-keys";
import { agentRows, explicitRows, filteredRowsByIds, unchainedRows, type ExportSelection } from "../db/queries/export";

export type { ExportSelection };

const BATCH_CACHE = 16;

/** What the selection says, for the header and manifest (no internal shapes). */
function describe(sel: ExportSelection): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (sel.agentId !== undefined) out.agent_id = sel.agentId;
  if (sel.source !== undefined) out.source = sel.source;
  if (sel.fromTs !== undefined) out.from = new Date(Math.floor(sel.fromTs / 1000)).toISOString();
  if (sel.toTs !== undefined) out.to = new Date(Math.floor(sel.toTs / 1000)).toISOString();
  if (sel.handoffId !== undefined) out.handoff = sel.handoffId;
  if (sel.ids) out.records = sel.ids.flatMap((g) => g.ids.map((id) => `${g.table}/${id}`));
  out.redacted = !!sel.redact;
  return out;
}

interface RowGroup {
  table: RecordTable;
  rows: Record<string, unknown>[];
  /** the evidence batch all these rows belong to, when known */
  batch?: BatchRow;
}

/**
 * The selected rows in chain order: batch by batch (each batch's leaves name its records, read
 * by primary key), then the records stored before the chain existed. Explicit ids are read as
 * they are (a handful). One page of batches in memory at a time.
 */
async function* selectedRows(h: DbHandle, sel: ExportSelection): AsyncGenerator<RowGroup> {
  const { db: tx, dialect } = h;
  if (sel.ids) {
    for (const table of RECORD_TABLES) {
      const ids = sel.ids.filter((g) => g.table === table).flatMap((g) => g.ids);
      if (ids.length) for await (const rows of explicitRows(h, table, ids)) yield { table, rows };
    }
    return;
  }
  if (sel.agentId !== undefined) {
    // One agent: its records through the (agent_id, ts, id) index, not a walk of every batch.
    for (const table of RECORD_TABLES) for await (const rows of agentRows(h, table, sel)) yield { table, rows };
    return;
  }
  for (let after = 0; ; ) {
    const batches = await batchesAfter(h, after, 20);
    if (!batches.length) break;
    for (const batch of batches) {
      for (const table of RECORD_TABLES) {
        const ids = batch.leaves.filter((l) => l[1] === table).map((l) => l[2]);
        if (!ids.length) continue;
        const rows = await filteredRowsByIds(h, table, ids, sel);
        if (rows.length) yield { table, rows, batch };
      }
      after = batch.position;
    }
  }
  for (const table of RECORD_TABLES) for await (const rows of unchainedRows(h, table, sel)) yield { table, rows };
}

/** The intercepts a handoff's analysis looked at (everything its verdict rests on). */
export type HandoffEvidenceIds = (handoffId: string) => Promise<string[] | null>;

/** Thrown when the selection names a handoff that does not exist. */
export class ExportNotFound extends Error {}

/**
 * The bundle, line by line (each ends with "\n"). The last line is the signed manifest; a
 * reader that stops early has no manifest and the bundle does not verify.
 */
export async function* exportBundle(h: DbHandle, sel: ExportSelection, evidenceOf?: HandoffEvidenceIds): AsyncGenerator<string> {
  const { db: tx, dialect } = h;
  let selection = sel;
  if (sel.handoffId !== undefined) {
    const ids = evidenceOf ? await evidenceOf(sel.handoffId) : [];
    if (ids === null) throw new ExportNotFound(`The handoff "${sel.handoffId}"`);
    selection = { ...sel, ids: [{ table: "handoffs", ids: [sel.handoffId] }, { table: "intercepts", ids }] };
  }
  const key = await currentSigningKey(h);
  const digest = createHash("sha256");
  const emit = (obj: unknown): string => {
    const line = JSON.stringify(obj) + "\n";
    digest.update(line);
    return line;
  };
  const exportedAt = new Date().toISOString();
  yield emit({ type: "header", format: BUNDLE_FORMAT, exported_at: exportedAt, selection: describe(selection) });

  const merkle = new StreamingMerkle();
  const counts: Record<RecordTable, number> = { intercepts: 0, policy_decisions: 0, handoffs: 0 };
  let minTs: bigint | null = null;
  let maxTs: bigint | null = null;
  let unchained = 0;
  const emittedBatches = new Set<string>();
  // Recently used batches, with their leaves hashed once for the proofs.
  const cache = new Map<string, { batch: BatchRow; tree: MerkleTree; index: Map<string, number> }>();

  const remember = (b: BatchRow) =>
    cache.set(b.id, { batch: b, tree: new MerkleTree(b.leaves.map((l) => leafHash(l[3]))), index: new Map(b.leaves.map((l, i) => [`${l[1]}\u0000${l[2]}`, i])) });

  for await (const { table, rows, batch } of selectedRows(h, selection)) {
    {
      if (batch && !cache.has(batch.id)) remember(batch);
      const missing = [...new Set(rows.map((r) => r.batch_id).filter((b): b is string => typeof b === "string" && !cache.has(b)))];
      for (const b of await batchesByIds(h, missing)) remember(b);
      for (const r of rows) {
        const id = String(r.id);
        const batchId = batch?.id ?? (typeof r.batch_id === "string" ? r.batch_id : null);
        const c = batchId ? cache.get(batchId) : undefined;
        const leafIndex = c?.index.get(`${table}\u0000${id}`);
        let line: BundleRecordLine;
        if (c && leafIndex !== undefined) {
          if (!emittedBatches.has(c.batch.id)) {
            emittedBatches.add(c.batch.id);
            const b = c.batch;
            yield emit({ type: "batch", id: b.id, position: b.position, record_count: b.recordCount, merkle_root: b.merkleRoot, prev_hash: b.prevHash, chain_hash: b.chainHash, created_at: new Date(b.createdAt).toISOString() } satisfies BundleBatchLine);
          }
          const hash = c.batch.leaves[leafIndex][3];
          line = { type: "record", table, id, hash, batch_id: c.batch.id, batch_pos: c.batch.leaves[leafIndex][0], leaf_index: leafIndex, proof: c.tree.proof(leafIndex), row: bundleRow(table, r, !!selection.redact) };
        } else {
          // Stored before the chain existed (or its batch is gone: the verifier says so).
          unchained++;
          line = { type: "record", table, id, hash: typeof r.record_hash === "string" ? r.record_hash : null, batch_id: null, batch_pos: null, leaf_index: null, proof: [], row: bundleRow(table, r, !!selection.redact) };
        }
        if (line.hash) merkle.add(line.hash);
        counts[table]++;
        const ts = BigInt(String(r.ts));
        if (minTs === null || ts < minTs) minTs = ts;
        if (maxTs === null || ts > maxTs) maxTs = ts;
        yield emit(line);
      }
      while (cache.size > BATCH_CACHE) cache.delete(cache.keys().next().value!);
    }
  }

  const head = await chainHead(h);
  const usToIso = (us: bigint | null) => (us === null ? null : new Date(Number(us / 1000n)).toISOString());
  const manifest: Omit<BundleManifest, "signature"> = {
    type: "manifest",
    format: BUNDLE_FORMAT,
    exported_at: exportedAt,
    selection: describe(selection),
    counts: { ...counts, total: counts.intercepts + counts.policy_decisions + counts.handoffs },
    time_range: { from: usToIso(minTs), to: usToIso(maxTs) },
    records_root: merkle.root(),
    batches: emittedBatches.size,
    unchained,
    chain_head: head ? { position: head.position, chain_hash: head.chainHash } : null,
    lines_sha256: digest.digest("hex"),
    public_key_fingerprint: key.fingerprint,
    public_key: key.publicKeyPem,
  };
  const signature = signText(key, manifestMessage(manifest));
  yield JSON.stringify({ ...manifest, signature: { alg: "ed25519", value: signature } } satisfies BundleManifest) + "\n";
}

/** The records_root a bundle of these records would have: the evidence digest a shared page shows. */
export async function evidenceDigest(h: DbHandle, sel: ExportSelection): Promise<{ root: string; records: number }> {
  const { db: tx, dialect } = h;
  const merkle = new StreamingMerkle();
  for await (const { table, rows, batch } of selectedRows(h, sel)) {
    const leaves = new Map<string, string>();
    const batches = batch ? [batch] : await batchesByIds(h, [...new Set(rows.map((r) => r.batch_id).filter((b): b is string => typeof b === "string"))]);
    for (const b of batches) for (const l of b.leaves) if (l[1] === table) leaves.set(l[2], l[3]);
    for (const r of rows) {
      const h = leaves.get(String(r.id)) ?? (typeof r.record_hash === "string" ? r.record_hash : null);
      if (h) merkle.add(h);
    }
  }
  return { root: merkle.root(), records: merkle.count };
}
