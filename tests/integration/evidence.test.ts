// Tamper evidence end to end on both databases: records are hashed and chained at ingest;
// `verdict verify` and verifyIntegrity find a row edited directly in the database and a row
// deleted behind Verdict's back, by id; derived columns may change; a tombstone makes a gap,
// not a mismatch. Export bundles verify offline, and any changed byte, a wrong key or a
// truncated file fails.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateKeyPairSync } from "node:crypto";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { ingestRecords } from "@/lib/ingest/ingest";
import { verifyIntegrity } from "@/lib/evidence-chain/integrity";
import { exportBundle } from "@/lib/evidence-chain/export";
import { handoffEvidenceIds } from "@/lib/handoffs/service";
import { publicKeys } from "@/lib/db/queries/signing-keys";
import { BundleVerifier } from "@/lib/evidence/bundle";
import { main } from "@/lib/cli/main";
import { execute, query } from "@/lib/db/sql";
import type { Db, Tx } from "@/lib/db/client";
import type { Dialect } from "@/lib/db/config";
import { GET as integrityRoute } from "@/app/api/v1/integrity/route";
import { GET as exportsRoute } from "@/app/api/v1/exports/route";
import { GET as publicKeyRoute } from "@/app/api/v1/integrity/public-key/route";
import { getRequest, noParams, TEST_KEY } from "../support/http";
import { contractJson } from "../support/contract";
import { genAToolCall, genALeakedLlmCall, genBToolCall, edgePolicyDecision, legacyPolicyDecision, handoffRecord } from "../fixtures/records";

const dir = mkdtempSync(path.join(os.tmpdir(), "verdict-evidence-"));
const asTx = (db: Db) => db as unknown as Tx;
const ingest = (records: unknown[]) => ingestRecords(records.map((value, index) => ({ index, value })));

async function bundleText(db: Db, dialect: Dialect, sel: Parameters<typeof exportBundle>[1]): Promise<string> {
  let s = "";
  for await (const line of exportBundle({ db: asTx(db), dialect }, sel, handoffEvidenceIds({ db, dialect }))) s += line;
  return s;
}

function verifyText(text: string, trusted?: string) {
  const v = new BundleVerifier(trusted);
  for (const line of text.replace(/\n$/, "").split("\n")) v.push(line);
  return v.finish();
}

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const code = await main(args, (s) => lines.push(s));
  return { code, out: lines.join("\n") };
}

const idOf = async (db: Db, dialect: Dialect, table: string, where: string, params: unknown[]) =>
  (await query<{ id: string }>(asTx(db), dialect, `SELECT "id" FROM "${table}" WHERE ${where}`, params))[0].id;

describe.each(DIALECTS)("evidence chain on %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    process.env.VERDICT_SIGNING_KEY_FILE = path.join(dir, `${dialect}-signing-key.pem`);
    delete process.env.VERDICT_SIGNING_KEY;
    ({ db } = await useFreshDatabase(dialect));
    // Three ingest transactions: three batches.
    await ingest([genAToolCall, genALeakedLlmCall, genBToolCall]);
    await ingest([edgePolicyDecision, legacyPolicyDecision, handoffRecord]);
    const many = Array.from({ length: 37 }, (_, i) => ({ ...genBToolCall, id: `many-${i}`, agent_id: "bulk", created_at: new Date(Date.UTC(2026, 10, 21, 0, 0, i)).toISOString() }));
    await ingest(many);
    await ingest(many); // duplicates: no new batch, nothing changes
  });
  afterAll(() => {
    delete process.env.VERDICT_SIGNING_KEY_FILE;
  });

  it("verifies a fresh database: every record chained, in three batches", async () => {
    const r = await verifyIntegrity({ db: asTx(db), dialect });
    expect(r).toMatchObject({ ok: true, records: 43, batches: 3, mismatches: [], deleted: [], unchained: 0 });
    expect((await cli(["verify"])).code).toBe(0);
  });

  it("concurrent ingest transactions each make one batch, chained densely in commit order", async () => {
    const before = (await verifyIntegrity({ db: asTx(db), dialect })).batches;
    await Promise.all(Array.from({ length: 8 }, (_, k) =>
      ingest(Array.from({ length: 25 }, (_, i) => ({ ...genBToolCall, id: `par-${k}-${i}`, agent_id: `par_${k}`, created_at: new Date(Date.UTC(2026, 10, 22, 0, k, i)).toISOString() })))));
    const r = await verifyIntegrity({ db: asTx(db), dialect });
    expect(r).toMatchObject({ ok: true, batches: before + 8, records: 43 + 200 });
    const positions = (await query<{ position: unknown }>(asTx(db), dialect, `SELECT "position" FROM "evidence_batches" ORDER BY "position"`)).map((p) => Number(p.position));
    expect(positions).toEqual(Array.from({ length: before + 8 }, (_, i) => i + 1));
  });

  it("answers over HTTP: integrity, the public key without credentials, exports (400 on a bad instant, 404 on an unknown handoff)", async () => {
    process.env.VERDICT_API_KEY = TEST_KEY;
    const integrity = await integrityRoute(getRequest("/api/v1/integrity", TEST_KEY), noParams);
    expect(integrity.status).toBe(200);
    expect(await contractJson(integrity, "GET /api/v1/integrity")).toMatchObject({ ok: true, mismatches: [] });
    expect((await integrityRoute(getRequest("/api/v1/integrity", "wrong-key"), noParams)).status).toBe(401);
    const pk = await contractJson(await publicKeyRoute(getRequest("/api/v1/integrity/public-key"), noParams), "GET /api/v1/integrity/public-key");
    expect(pk).toMatchObject({ algorithm: "ed25519", fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await exportsRoute(getRequest("/api/v1/exports?from=yesterday", TEST_KEY), noParams)).status).toBe(400);
    const missing = await exportsRoute(getRequest("/api/v1/exports?handoff_id=nope", TEST_KEY), noParams);
    expect(missing.status).toBe(404);
    expect((await missing.json()).error.code).toBe("not_found");
    const res = await exportsRoute(getRequest("/api/v1/exports?agent_id=bulk&from=2026-11-21T00:00:10Z&to=2026-11-21T00:00:20Z", TEST_KEY), noParams);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="verdict-evidence-bulk-/);
    const r = verifyText(await res.text(), pk.public_key);
    expect(r).toMatchObject({ ok: true, records: 10 });
  });

  it("lets derived columns change (reclassify, leak links, Verdict's outcome)", async () => {
    await execute(asTx(db), dialect, `UPDATE "intercepts" SET "kind" = 'untagged_call', "is_leak" = ?, "llm_provider" = 'x'`, [dialect === "sqlite" ? 1 : true]);
    await execute(asTx(db), dialect, `UPDATE "handoffs" SET "verdict_outcome" = 'CAUGHT'`);
    await execute(asTx(db), dialect, `UPDATE "policy_decisions" SET "blocks_call" = ?`, [dialect === "sqlite" ? 1 : true]);
    expect((await verifyIntegrity({ db: asTx(db), dialect })).ok).toBe(true);
  });

  it("bundles round-trip, and a changed byte, a changed hash, a wrong key or a cut file fail", async () => {
    const text = await bundleText(db, dialect, { agentId: "bulk" });
    const ok = verifyText(text);
    expect(ok.failures).toEqual([]);
    expect(ok).toMatchObject({ ok: true, records: 37, batches: 1 });
    const file = path.join(dir, `${dialect}-bulk.ndjson`);
    writeFileSync(file, text);
    const good = await cli(["verify-bundle", file]);
    expect(good.code).toBe(0);
    expect(good.out).toMatch(/VERIFIED: 37 records/);

    // One byte of one stored body: the record is named.
    const lines = text.split("\n");
    const i = lines.findIndex((l) => l.includes('"id":"') && l.startsWith('{"type":"record"') && l.includes("hits"));
    const victim = JSON.parse(lines[i]).id as string;
    const changed = [...lines];
    changed[i] = lines[i].replace('{\\"hits\\":3}', '{\\"hits\\":4}');
    expect(changed[i]).not.toBe(lines[i]);
    writeFileSync(file, changed.join("\n"));
    const bad = await cli(["verify-bundle", file]);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`record ${victim}`);

    // The row and its hash changed together: the Merkle proof no longer reaches the batch root.
    const rec = JSON.parse(changed[i]);
    const { recordHash } = await import("@/lib/evidence/canonical");
    rec.hash = recordHash("intercepts", rec.row);
    changed[i] = JSON.stringify(rec);
    const r2 = verifyText(changed.join("\n"));
    expect(r2.ok).toBe(false);
    expect(r2.failures.find((f) => f.id === victim)?.reason).toMatch(/not in its evidence batch/);

    // Signed by another key than the one given.
    const other = generateKeyPairSync("ed25519").publicKey.export({ type: "spki", format: "pem" }).toString();
    const otherFile = path.join(dir, "other.pub.pem");
    writeFileSync(otherFile, other);
    writeFileSync(file, text);
    expect((await cli(["verify-bundle", file, "--public-key", otherFile])).code).toBe(1);
    const keys = await publicKeys({ db: asTx(db), dialect });
    writeFileSync(otherFile, keys.find((k) => k.current)!.public_key);
    expect((await cli(["verify-bundle", file, "--public-key", otherFile])).code).toBe(0);

    // Cut before the manifest.
    expect(verifyText(lines.slice(0, -2).join("\n")).ok).toBe(false);
  });

  it("redacted bundles carry body hashes and still verify; a handoff bundle carries what it rests on", async () => {
    const red = await bundleText(db, dialect, { agentId: "fetch_and_claim", redact: true });
    expect(red).not.toContain("4.5 °C in Oslo");
    expect(red).toContain('"redacted":true');
    expect(verifyText(red)).toMatchObject({ ok: true, records: 3 }); // two calls and the handoff
    const hid = await idOf(db, dialect, "handoffs", `"source_id" = ?`, ["h-1"]);
    const hb = verifyText(await bundleText(db, dialect, { handoffId: hid }));
    expect(hb.ok).toBe(true);
    expect(hb.manifest?.counts.handoffs).toBe(1);
    expect(hb.manifest?.counts.intercepts).toBeGreaterThanOrEqual(1);
  });

  it("finds a row edited in the database and a row deleted without a tombstone, by id; a tombstone is a gap", async () => {
    const edited = await idOf(db, dialect, "intercepts", `"source_id" = ?`, ["many-5"]);
    const gone = await idOf(db, dialect, "policy_decisions", `"source_id" = ?`, ["pd-1"]);
    const tombstoned = await idOf(db, dialect, "intercepts", `"source_id" = ?`, ["many-9"]);
    await execute(asTx(db), dialect, `UPDATE "intercepts" SET "raw_response" = '{"hits": 0}' WHERE "id" = ?`, [edited]);
    await execute(asTx(db), dialect, `DELETE FROM "policy_decisions" WHERE "id" = ?`, [gone]);
    const [t] = await query<Record<string, unknown>>(asTx(db), dialect, `SELECT "record_hash", "batch_id", "batch_pos" FROM "intercepts" WHERE "id" = ?`, [tombstoned]);
    await execute(asTx(db), dialect, `INSERT INTO "tombstones" ("id", "record_table", "record_id", "record_hash", "batch_id", "batch_pos", "deleted_at", "reason", "actor", "deletion_id") VALUES ('tmb_1', 'intercepts', ?, ?, ?, ?, ?, 'retention', 'test', 'del_1')`,
      [tombstoned, t.record_hash, t.batch_id, t.batch_pos, Date.now()]);
    await execute(asTx(db), dialect, `DELETE FROM "intercepts" WHERE "id" = ?`, [tombstoned]);
    // A tombstone written without the batch columns is found too.
    const bare = await idOf(db, dialect, "intercepts", `"source_id" = ?`, ["many-11"]);
    const [b] = await query<Record<string, unknown>>(asTx(db), dialect, `SELECT "record_hash" FROM "intercepts" WHERE "id" = ?`, [bare]);
    await execute(asTx(db), dialect, `INSERT INTO "tombstones" ("id", "record_table", "record_id", "record_hash", "deleted_at", "reason", "actor") VALUES ('tmb_2', 'intercepts', ?, ?, ?, 'erasure', 'test')`, [bare, b.record_hash, Date.now()]);
    await execute(asTx(db), dialect, `DELETE FROM "intercepts" WHERE "id" = ?`, [bare]);

    const r = await verifyIntegrity({ db: asTx(db), dialect });
    expect(r.ok).toBe(false);
    expect(r.mismatches.map((m) => [m.id, m.reason]).sort()).toEqual([[edited, "changed"], [gone, "missing"]].sort());
    expect(r.deleted).toEqual([{ id: tombstoned, table: "intercepts", reason: "retention" }, { id: bare, table: "intercepts", reason: "erasure" }]);
    const c = await cli(["verify"]);
    expect(c.code).toBe(1);
    expect(c.out).toContain(edited);
    expect(c.out).toContain(gone);
    expect(c.out).not.toMatch(new RegExp(`MISMATCH ${tombstoned}`));

    // Putting the row back as it was: verify passes again (the check reads the data, not a flag).
    await execute(asTx(db), dialect, `UPDATE "intercepts" SET "raw_response" = ? WHERE "id" = ?`, ['{"hits":3}', edited]);
    const again = await verifyIntegrity({ db: asTx(db), dialect });
    expect(again.mismatches.map((m) => m.id)).toEqual([gone]);
  });

  it("keeps old signatures verifiable after the key is rotated", async () => {
    const before = await bundleText(db, dialect, { agentId: "researcher" });
    const oldKey = (await publicKeys({ db: asTx(db), dialect })).find((k) => k.current)!;
    const rotated = await cli(["signing-key", "rotate"]);
    expect(rotated.code).toBe(0);
    const keys = await publicKeys({ db: asTx(db), dialect });
    const current = keys.find((k) => k.current)!;
    expect(current.fingerprint).not.toBe(oldKey.fingerprint);
    expect(keys.find((k) => k.fingerprint === oldKey.fingerprint)?.retired_at).not.toBeNull();
    expect(verifyText(before, oldKey.public_key).ok).toBe(true);
    expect(verifyText(before, current.public_key).ok).toBe(false);
    const after = await bundleText(db, dialect, { agentId: "researcher" });
    expect(verifyText(after, current.public_key).ok).toBe(true);
    expect(readFileSync(process.env.VERDICT_SIGNING_KEY_FILE!, "utf8")).toMatch(/BEGIN PRIVATE KEY/);
  });
});
