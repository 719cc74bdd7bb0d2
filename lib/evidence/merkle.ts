// Merkle trees over record hashes, as RFC 9162 (Certificate Transparency v2) defines them:
// leaf = SHA-256(0x00 || record hash), node = SHA-256(0x01 || left || right), the left subtree
// the largest power of two below the size. Inclusion proofs let a bundle carry one record of a
// batch without the rest; the streaming root gives the same value in O(log n) memory.
import { createHash, hash } from "node:crypto";

const LEAF = Buffer.from([0]);
const NODE = Buffer.from([1]);

// One-shot hash() of one buffer: several times cheaper per call than createHash().update()….
export const leafHash = (recordHashHex: string): Buffer => hash("sha256", Buffer.concat([LEAF, Buffer.from(recordHashHex, "hex")]), "buffer") as unknown as Buffer;
export const nodeHash = (l: Buffer, r: Buffer): Buffer => hash("sha256", Buffer.concat([NODE, l, r]), "buffer") as unknown as Buffer;

/** The root of an empty tree: SHA-256 of nothing. */
export const EMPTY_ROOT = createHash("sha256").digest("hex");

function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** The root (hex) of the record hashes, in order. */
export function merkleRoot(recordHashes: readonly string[]): string {
  if (!recordHashes.length) return EMPTY_ROOT;
  return new MerkleTree(recordHashes.map(leafHash)).root();
}

/** A batch's tree, its subtree hashes computed once: proofs of every leaf cost O(n) in all, not O(n) each. */
export class MerkleTree {
  private memo = new Map<number, Buffer>();
  constructor(private readonly leaves: Buffer[]) {}
  get size(): number {
    return this.leaves.length;
  }
  private node(lo: number, hi: number): Buffer {
    if (hi - lo === 1) return this.leaves[lo];
    const key = lo * 4294967296 + hi;
    let h = this.memo.get(key);
    if (!h) {
      const k = split(hi - lo);
      h = nodeHash(this.node(lo, lo + k), this.node(lo + k, hi));
      this.memo.set(key, h);
    }
    return h;
  }
  root(): string {
    return this.leaves.length ? this.node(0, this.leaves.length).toString("hex") : EMPTY_ROOT;
  }
  /** The sibling hashes (hex, bottom up) proving leaf `index`. */
  proof(index: number): string[] {
    const path: string[] = [];
    let lo = 0;
    let hi = this.leaves.length;
    const top: Buffer[] = [];
    while (hi - lo > 1) {
      const k = split(hi - lo);
      if (index - lo < k) {
        top.push(this.node(lo + k, hi));
        hi = lo + k;
      } else {
        top.push(this.node(lo, lo + k));
        lo = lo + k;
      }
    }
    for (let i = top.length - 1; i >= 0; i--) path.push(top[i].toString("hex"));
    return path;
  }
}

/** The root a proof leads to from the record hash at `index` in a tree of `size` leaves; null when the proof has the wrong length. */
export function rootFromProof(recordHashHex: string, index: number, size: number, proof: readonly string[]): string | null {
  if (!(index >= 0 && index < size) || !proof.every((p) => /^[0-9a-f]{64}$/.test(p))) return null;
  let used = 0;
  const climb = (m: number, n: number): Buffer | null => {
    if (n === 1) return leafHash(recordHashHex);
    const k = split(n);
    const below = m < k ? climb(m, k) : climb(m - k, n - k);
    if (!below || used >= proof.length) return null;
    const sibling = Buffer.from(proof[used++], "hex");
    return m < k ? nodeHash(below, sibling) : nodeHash(sibling, below);
  };
  const root = climb(index, size);
  return root && used === proof.length ? root.toString("hex") : null;
}

/** The same root as merkleRoot, fed one record hash at a time: a stack of perfect subtrees. */
export class StreamingMerkle {
  private stack: { size: number; hash: Buffer }[] = [];
  count = 0;
  add(recordHashHex: string): void {
    let cur = { size: 1, hash: leafHash(recordHashHex) };
    while (this.stack.length && this.stack[this.stack.length - 1].size === cur.size) {
      const left = this.stack.pop()!;
      cur = { size: left.size * 2, hash: nodeHash(left.hash, cur.hash) };
    }
    this.stack.push(cur);
    this.count++;
  }
  root(): string {
    if (!this.stack.length) return EMPTY_ROOT;
    let r = this.stack[this.stack.length - 1].hash;
    for (let i = this.stack.length - 2; i >= 0; i--) r = nodeHash(this.stack[i].hash, r);
    return r.toString("hex");
  }
}

export const GENESIS_HASH = "0".repeat(64);

/** A batch's link in the chain: it commits to its position, id, size, root and the batch before it. */
export function chainHash(b: { position: number | bigint | string; id: string; recordCount: number; merkleRoot: string; prevHash: string }): string {
  return createHash("sha256").update(JSON.stringify(["verdict-chain-v1", String(b.position), b.id, b.recordCount, b.merkleRoot, b.prevHash])).digest("hex");
}
