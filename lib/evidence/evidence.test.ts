import { describe, expect, it } from "vitest";
import { bundleRow, canonicalRecord, recordHash } from "./canonical";
import { leafHash, merkleRoot, MerkleTree, rootFromProof, StreamingMerkle } from "./merkle";

// One policy decision as each database hands it back.
const base = {
  id: "pol_1", source: "default", source_id: "pd-1", dedupe_key: '["default","pd-1"]', agent_id: "mailer", created_at: "2026-11-20T10:05:00.000000Z",
  shape: "edge", tool_name: "send_email", call_key: "k", edge_source: null, edge_target: null, source_depth: 1, target_depth: null, policy_name: "p",
  message: null, callback_error: null, action: "BLOCK", reason: "r", confirmation: null, context: '{"a": 1}', callback_result: '{"passed": false}',
  decision: null, extra: null,
};
const sqliteRow = { ...base, ts: 1763633100000000n, ingested_at: 1763633100123456, passed: 0, fail_closed: 1, batch_index: 0, blocks_call: 1 };
const pgRow = { ...base, ts: "1763633100000000", ingested_at: 1763633100123456n, passed: false, fail_closed: true, batch_index: 0, blocks_call: false };

describe("canonical form", () => {
  it("hashes a record the same whichever database returned it (BigInt/number/string, 0/1 vs booleans)", () => {
    expect(canonicalRecord("policy_decisions", sqliteRow)).toBe(canonicalRecord("policy_decisions", pgRow));
    expect(recordHash("policy_decisions", sqliteRow)).toMatch(/^[0-9a-f]{64}$/);
  });

  it("NULL and an absent column are the same; NULL and empty text are not; derived columns are not covered", () => {
    const { extra: _e, ...noExtra } = pgRow;
    void _e;
    expect(recordHash("policy_decisions", noExtra)).toBe(recordHash("policy_decisions", pgRow));
    expect(recordHash("policy_decisions", { ...pgRow, message: "" })).not.toBe(recordHash("policy_decisions", pgRow));
    expect(recordHash("policy_decisions", { ...pgRow, blocks_call: true })).toBe(recordHash("policy_decisions", pgRow));
    expect(recordHash("policy_decisions", { ...pgRow, passed: true })).not.toBe(recordHash("policy_decisions", pgRow));
  });

  it("a redacted bundle row (bodies as their SHA-256) hashes as the full row", () => {
    const full = bundleRow("policy_decisions", sqliteRow, false);
    const red = bundleRow("policy_decisions", sqliteRow, true);
    expect(red.context).toMatchObject({ redacted: true, bytes: 8 });
    expect(recordHash("policy_decisions", red)).toBe(recordHash("policy_decisions", sqliteRow));
    expect(recordHash("policy_decisions", JSON.parse(JSON.stringify(full)))).toBe(recordHash("policy_decisions", pgRow));
  });
});

describe("Merkle trees", () => {
  const hashes = Array.from({ length: 13 }, (_, i) => recordHash("policy_decisions", { ...pgRow, id: `pol_${i}` }));
  it("every leaf's proof leads to the root, for every size; a wrong index or leaf does not", () => {
    for (let n = 1; n <= hashes.length; n++) {
      const tree = new MerkleTree(hashes.slice(0, n).map(leafHash));
      const root = merkleRoot(hashes.slice(0, n));
      expect(tree.root()).toBe(root);
      const s = new StreamingMerkle();
      hashes.slice(0, n).forEach((h) => s.add(h));
      expect(s.root()).toBe(root);
      for (let i = 0; i < n; i++) {
        expect(rootFromProof(hashes[i], i, n, tree.proof(i))).toBe(root);
        if (n > 1) expect(rootFromProof(hashes[i], (i + 1) % n, n, tree.proof(i))).not.toBe(root);
        expect(rootFromProof(hashes[(i + 1) % hashes.length], i, n, tree.proof(i))).not.toBe(root);
      }
    }
  });
});
