// `verdict verify`, `verdict export`, `verdict verify-bundle`, `verdict signing-key`:
// tamper evidence from the command line (docs/evidence.md). verify-bundle needs no server and
// no database: it is what a recipient who does not trust the operator runs.
import { setting } from "../config/server-env";
import { createReadStream, createWriteStream, readFileSync, renameSync, rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { once } from "node:events";
import { parseArgs } from "node:util";
import { BundleVerifier } from "../evidence/bundle";
import { formatFingerprint, signingKey, signingKeyFile, writeNewKeyFile } from "../evidence/signing-key";
import { timestampField } from "../records/common";

export const VERIFY_HELP = `verdict verify — check every stored record against the evidence chain

Recomputes each record's hash from its stored columns, each batch's Merkle root and each
link of the chain; prints the Verdict id of every record that was changed, or is missing
without a tombstone. Exits 0 when everything matches, 1 otherwise.

Options:
  --json   print the full report as JSON`;

export const EXPORT_HELP = `verdict export — write a signed evidence bundle (NDJSON) to a file

Options:
  --agent-id A     only this agent's records
  --source S       only records of this source
  --from T         records at or after this instant (ISO-8601)
  --to T           records before this instant (ISO-8601)
  --handoff ID     one handoff and the intercepts it rests on
  --out FILE       where to write the bundle (required)
  --redact         replace request/response bodies by their SHA-256 (the bundle still verifies)

Check it anywhere with: npx verdict verify-bundle FILE [--public-key PEM]`;

export const VERIFY_BUNDLE_HELP = `verdict verify-bundle FILE [--public-key PEM] — verify an evidence bundle offline

No server and no database: recomputes every record's hash from the bundle, follows its
Merkle proof to its batch's root, checks the chain hashes, the digest of every line and
the Ed25519 signature. With --public-key (a PEM file, or the PEM text), the bundle must be
signed by that key; without it, compare the printed fingerprint with the one Verdict
publishes (GET /api/v1/integrity/public-key, or the Evidence page).
Exits 0 only when the bundle verifies.`;

export const SIGNING_KEY_HELP = `verdict signing-key show | rotate

  show     print the current public key and its fingerprint
  rotate   make a new signing key (the file VERDICT_SIGNING_KEY_FILE, or signing-key.pem
           next to the SQLite file); the old public key stays listed, so bundles it signed
           still verify. Restarting the server is not needed.`;

type Out = (s: string) => void;
const err: Out = (s) => process.stderr.write(s + "\n");

export async function verifyCommand(args: string[], out: Out): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  if (values.help) return out(VERIFY_HELP), 0;
  const { getDb } = await import("../db/client");
  const { verifyIntegrity } = await import("../evidence-chain/integrity");
  const h = getDb();
  const report = await verifyIntegrity(h);
  if (values.json) out(JSON.stringify(report, null, 2));
  else {
    for (const m of report.mismatches) out(`MISMATCH ${m.id} (${m.table}): ${m.reason} — ${m.detail}`);
    for (const d of report.deleted) out(`deleted  ${d.id} (${d.table}): tombstone, ${d.reason}`);
    out(`${report.ok ? "OK" : "FAILED"}: ${report.records} records in ${report.batches} batches checked; ${report.mismatches.length} mismatching or missing, ${report.deleted.length} deleted with a tombstone${report.unchained ? `, ${report.unchained} stored before the chain existed (not covered)` : ""}.`);
    if (report.head) out(`Chain head: batch ${report.head.position}, ${report.head.chain_hash}`);
  }
  return report.ok ? 0 : 1;
}

const instant = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const r = timestampField.safeParse(v);
  if (!r.success) throw new UsageError(`${flag} ${JSON.stringify(v)} is not an ISO-8601 instant`);
  return r.data.us;
};

class UsageError extends Error {}

export async function exportCommand(args: string[], out: Out): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        "agent-id": { type: "string" }, source: { type: "string" }, from: { type: "string" }, to: { type: "string" },
        handoff: { type: "string" }, out: { type: "string" }, redact: { type: "boolean" }, help: { type: "boolean", short: "h" },
      },
    }));
  } catch (e) {
    err(`verdict export: ${(e as Error).message}\n\n${EXPORT_HELP}`);
    return 2;
  }
  if (values.help) return out(EXPORT_HELP), 0;
  if (!values.out) {
    err(`verdict export: --out FILE is required\n\n${EXPORT_HELP}`);
    return 2;
  }
  let fromTs: number | undefined;
  let toTs: number | undefined;
  try {
    fromTs = instant("--from", values.from);
    toTs = instant("--to", values.to);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`verdict export: ${e.message}`);
    return 2;
  }
  const { getDb } = await import("../db/client");
  const { exportBundle } = await import("../evidence-chain/export");
  const { handoffEvidenceIds } = await import("../handoffs/service");
  const conn = getDb();
  const tmp = `${values.out}.partial`;
  const file = createWriteStream(tmp);
  let lines = 0;
  try {
    for await (const line of exportBundle(conn, { agentId: values["agent-id"], source: values.source, fromTs, toTs, handoffId: values.handoff, redact: !!values.redact }, handoffEvidenceIds(conn))) {
      lines++;
      if (!file.write(line)) await once(file, "drain");
    }
    file.end();
    await once(file, "finish");
    renameSync(tmp, values.out);
  } catch (e) {
    file.destroy();
    rmSync(tmp, { force: true });
    throw e;
  }
  out(`Wrote ${values.out} (${lines} lines). Verify it with: npx verdict verify-bundle ${values.out}`);
  return 0;
}

export async function verifyBundleCommand(args: string[], out: Out): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { "public-key": { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    err(`verdict verify-bundle: ${(e as Error).message}\n\n${VERIFY_BUNDLE_HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) return out(VERIFY_BUNDLE_HELP), 0;
  if (positionals.length !== 1) {
    err(`verdict verify-bundle: give one bundle file\n\n${VERIFY_BUNDLE_HELP}`);
    return 2;
  }
  let trusted: string | undefined;
  const pk = values["public-key"];
  if (pk !== undefined) trusted = pk.includes("-----BEGIN") ? pk : readFileSync(pk, "utf8");
  const verifier = new BundleVerifier(trusted);
  const lines = createInterface({ input: createReadStream(positionals[0]), crlfDelay: Infinity });
  for await (const line of lines) verifier.push(line);
  const report = verifier.finish();
  if (values.json) out(JSON.stringify(report, null, 2));
  else {
    for (const f of report.failures) out(`FAIL line ${f.line}${f.id ? ` record ${f.id}` : ""}: ${f.reason}`);
    const m = report.manifest;
    out(`${report.ok ? "VERIFIED" : "NOT VERIFIED"}: ${report.records} records in ${report.batches} evidence batches${report.unchained ? ` (${report.unchained} stored before the chain existed)` : ""}.`);
    if (m) out(`Records root ${m.records_root}; exported ${m.exported_at}; time range ${m.time_range.from ?? "-"} .. ${m.time_range.to ?? "-"}.`);
    if (report.fingerprint) out(`Signed by key ${formatFingerprint(report.fingerprint)}${trusted ? " (the key given)" : " — compare with the fingerprint Verdict publishes"}.`);
  }
  return report.ok ? 0 : 1;
}

export async function signingKeyCommand(args: string[], out: Out): Promise<number> {
  const [sub] = args;
  if (sub === "show") {
    const k = signingKey();
    out(`Fingerprint: ${formatFingerprint(k.fingerprint)}\nFrom: ${k.origin}\n${k.publicKeyPem.trim()}`);
    return 0;
  }
  if (sub === "rotate") {
    if (setting("VERDICT_SIGNING_KEY")) {
      err("verdict signing-key rotate: the key comes from VERDICT_SIGNING_KEY; set a new one there (the old public key stays listed once the server has used the new one).");
      return 2;
    }
    const { getDb } = await import("../db/client");
    const { registerSigningKey } = await import("../db/queries/signing-keys");
    const h = getDb();
    const old = signingKey();
    await registerSigningKey(h, old); // so the old one is listed even if nothing signed with it yet
    const fresh = writeNewKeyFile(signingKeyFile());
    await registerSigningKey(h, fresh);
    out(`New signing key ${formatFingerprint(fresh.fingerprint)} (was ${formatFingerprint(old.fingerprint)}); the old public key stays listed.`);
    return 0;
  }
  out(SIGNING_KEY_HELP);
  return sub === "--help" || sub === "-h" ? 0 : 2;
}
