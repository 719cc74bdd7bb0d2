// The export bundle format and its offline verifier (docs/evidence.md). A bundle is NDJSON:
// a header line, then record lines (each preceded, the first time, by its evidence batch's
// line), then one signed manifest line. The verifier needs no server and no database: it
// recomputes every record's hash from the row it carries, follows the record's Merkle proof to
// its batch's root, checks each batch's chain hash, the digest of every line, and the Ed25519
// signature over the manifest. Memory: the batches seen (root and size), not the records.
import { createHash } from "node:crypto";
import { CanonicalFormError, recordHash, RECORD_TABLES, type RecordTable } from "./canonical";
import { chainHash, rootFromProof, StreamingMerkle } from "./merkle";
import { fingerprintOf, verifyText } from "./signing-key";

export const BUNDLE_FORMAT = "verdict-evidence-bundle-v1";

export interface BundleBatchLine {
  type: "batch";
  id: string;
  position: number;
  record_count: number;
  merkle_root: string;
  prev_hash: string;
  chain_hash: string;
  created_at: string;
}

export interface BundleRecordLine {
  type: "record";
  table: RecordTable;
  id: string;
  hash: string | null;
  batch_id: string | null;
  batch_pos: number | null;
  leaf_index: number | null;
  proof: string[];
  row: Record<string, unknown>;
}

export interface BundleManifest {
  type: "manifest";
  format: string;
  exported_at: string;
  selection: Record<string, unknown>;
  counts: Record<RecordTable | "total", number>;
  time_range: { from: string | null; to: string | null };
  /** RFC 9162 Merkle root over the record lines' hashes, in bundle order */
  records_root: string;
  batches: number;
  unchained: number;
  /** the chain's newest batch when the bundle was made */
  chain_head: { position: number; chain_hash: string } | null;
  /** SHA-256 of every byte before the manifest line */
  lines_sha256: string;
  public_key_fingerprint: string;
  public_key: string;
  signature: { alg: "ed25519"; value: string };
}

/** The exact text the manifest's signature covers: its fields, signature left out, in order. */
export function manifestMessage(m: Omit<BundleManifest, "signature"> | BundleManifest): string {
  const { signature: _omit, ...rest } = m as BundleManifest;
  void _omit;
  return `${BUNDLE_FORMAT}\n${JSON.stringify(rest)}`;
}

export interface BundleFailure {
  line: number;
  /** the record's Verdict id, when the failure is about one record */
  id?: string;
  reason: string;
}

export interface BundleReport {
  ok: boolean;
  records: number;
  batches: number;
  unchained: number;
  failures: BundleFailure[];
  fingerprint: string | null;
  manifest: Omit<BundleManifest, "public_key" | "signature"> | null;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** Feed it the bundle's lines (without "\n") in order, then call finish(). */
export class BundleVerifier {
  private lineNo = 0;
  private digest = createHash("sha256");
  private merkle = new StreamingMerkle();
  private batches = new Map<string, { root: string; size: number }>();
  private counts: Record<RecordTable, number> = { intercepts: 0, policy_decisions: 0, handoffs: 0 };
  private records = 0;
  private unchained = 0;
  private failures: BundleFailure[] = [];
  private sawHeader = false;
  private manifest: BundleManifest | null = null;
  private fingerprint: string | null = null;

  constructor(private readonly trustedPublicKeyPem?: string) {}

  private fail(reason: string, id?: string): void {
    if (this.failures.length < 1000) this.failures.push({ line: this.lineNo, ...(id === undefined ? {} : { id }), reason });
  }

  push(line: string): void {
    this.lineNo++;
    if (this.manifest) return this.fail("text after the manifest line");
    let obj: Record<string, unknown>;
    try {
      obj = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.digest.update(line + "\n");
      return this.fail("not a JSON line");
    }
    if (obj?.type === "manifest") return this.checkManifest(obj as unknown as BundleManifest);
    this.digest.update(line + "\n");
    if (this.lineNo === 1) {
      if (obj?.type !== "header" || obj.format !== BUNDLE_FORMAT) this.fail(`not a Verdict evidence bundle (${BUNDLE_FORMAT})`);
      this.sawHeader = true;
      return;
    }
    if (obj?.type === "batch") return this.checkBatch(obj as unknown as BundleBatchLine);
    if (obj?.type === "record") return this.checkRecord(obj as unknown as BundleRecordLine);
    this.fail(`unknown line type ${JSON.stringify(obj?.type)}`);
  }

  private checkBatch(b: BundleBatchLine): void {
    const ok = typeof b.id === "string" && Number.isSafeInteger(b.position) && Number.isSafeInteger(b.record_count) && b.record_count > 0 &&
      HEX64.test(String(b.merkle_root)) && HEX64.test(String(b.prev_hash)) &&
      chainHash({ position: b.position, id: b.id, recordCount: b.record_count, merkleRoot: b.merkle_root, prevHash: b.prev_hash }) === b.chain_hash;
    if (!ok) return this.fail(`evidence batch ${JSON.stringify(b.id)}: its chain hash does not match its contents`);
    this.batches.set(b.id, { root: b.merkle_root, size: b.record_count });
  }

  private checkRecord(r: BundleRecordLine): void {
    const id = typeof r.id === "string" ? r.id : undefined;
    if (!RECORD_TABLES.includes(r.table) || !id || typeof r.row !== "object" || r.row === null) return this.fail("malformed record line", id);
    if (r.row.id !== id) return this.fail(`the row's id (${JSON.stringify(r.row.id)}) is not the record's`, id);
    let now: string;
    try {
      now = recordHash(r.table, r.row);
    } catch (e) {
      if (!(e instanceof CanonicalFormError)) throw e;
      return this.fail(`record ${id}: ${e.message}`, id);
    }
    this.records++;
    this.counts[r.table]++;
    if (typeof r.hash === "string") this.merkle.add(r.hash);
    if (now !== r.hash) return this.fail(`record ${id} was changed: its content no longer matches its hash`, id);
    if (r.batch_id === null) {
      this.unchained++;
      return;
    }
    const b = typeof r.batch_id === "string" ? this.batches.get(r.batch_id) : undefined;
    if (!b) return this.fail(`record ${id}: its evidence batch is not in the bundle`, id);
    const root = Array.isArray(r.proof) && Number.isSafeInteger(r.leaf_index) ? rootFromProof(now, r.leaf_index!, b.size, r.proof) : null;
    if (root !== b.root) this.fail(`record ${id} is not in its evidence batch (the Merkle proof does not lead to the batch's root)`, id);
  }

  private checkManifest(m: BundleManifest): void {
    this.manifest = m;
    if (!this.sawHeader) this.fail("no header line");
    if (m.format !== BUNDLE_FORMAT) this.fail(`manifest format ${JSON.stringify(m.format)}, expected ${BUNDLE_FORMAT}`);
    if (m.lines_sha256 !== this.digest.digest("hex")) this.fail("the bundle's lines were changed (their SHA-256 is not the manifest's lines_sha256)");
    if (m.records_root !== this.merkle.root()) this.fail("the records' Merkle root is not the manifest's records_root");
    const total = this.counts.intercepts + this.counts.policy_decisions + this.counts.handoffs;
    const c = m.counts ?? ({} as BundleManifest["counts"]);
    if (c.intercepts !== this.counts.intercepts || c.policy_decisions !== this.counts.policy_decisions || c.handoffs !== this.counts.handoffs || c.total !== total) {
      this.fail(`record counts differ from the manifest's (bundle has ${total}, manifest says ${c.total})`);
    }
    if (m.batches !== this.batches.size) this.fail(`${this.batches.size} evidence batches, the manifest says ${m.batches}`);
    let fp: string | null = null;
    try {
      fp = fingerprintOf(String(m.public_key));
    } catch {
      this.fail("the manifest's public key is not a public key");
    }
    this.fingerprint = fp;
    if (fp && fp !== m.public_key_fingerprint) this.fail("the manifest's public_key_fingerprint is not its public key's");
    if (this.trustedPublicKeyPem) {
      let trusted: string | null = null;
      try {
        trusted = fingerprintOf(this.trustedPublicKeyPem);
      } catch {
        this.fail("--public-key is not a public key (PEM)");
      }
      if (trusted && trusted !== fp) this.fail(`signed by key ${fp ?? "?"}, not by the given public key ${trusted}`);
    }
    if (fp && !(m.signature?.alg === "ed25519" && typeof m.signature.value === "string" && verifyText(String(m.public_key), manifestMessage(m), m.signature.value))) {
      this.fail("the manifest's signature does not verify");
    }
  }

  finish(): BundleReport {
    if (!this.manifest) this.fail("no manifest line: the bundle is incomplete");
    const m = this.manifest;
    let summary: BundleReport["manifest"] = null;
    if (m) {
      const { public_key: _pk, signature: _sig, ...rest } = m;
      void _pk;
      void _sig;
      summary = rest;
    }
    return { ok: this.failures.length === 0, records: this.records, batches: this.batches.size, unchained: this.unchained, failures: this.failures, fingerprint: this.fingerprint, manifest: summary };
  }
}
