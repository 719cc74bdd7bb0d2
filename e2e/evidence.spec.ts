// Shared links carry proof: the shared page shows the evidence digest, "Download signed
// evidence" gives a bundle of exactly the shared records, and the command-line verifier
// (offline: no server, no database) accepts it, refuses it once a byte changes, and checks it
// against the public key Verdict publishes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";

const auth = { Authorization: `Bearer ${E2E_API_KEY}` };
const dir = mkdtempSync(path.join(os.tmpdir(), "verdict-e2e-evidence-"));

/** `npx verdict verify-bundle …` with no database configured at all. */
function verifyBundle(args: string[]): { code: number; out: string } {
  const env = { ...process.env, DATABASE_URL: "postgres://nobody@127.0.0.1:1/no-database" };
  try {
    return { code: 0, out: execFileSync("node", ["bin/verdict.mjs", "verify-bundle", ...args], { env, encoding: "utf8" }) };
  } catch (e) {
    const err = e as { status: number; stdout: string };
    return { code: err.status, out: err.stdout };
  }
}

async function share(request: APIRequestContext, data: Record<string, unknown>): Promise<string> {
  const res = await request.post("/api/v1/shares", { headers: auth, data });
  expect(res.status()).toBe(201);
  return ((await res.json()) as { url: string }).url;
}

test("a redacted shared handoff: digest on the page, the downloaded bundle verifies offline, a changed byte does not", async ({ browser, request }) => {
  const list = await (await request.get("/api/v1/handoffs?outcome=CAUGHT&agent_id=fetch_and_claim", { headers: auth })).json();
  const url = await share(request, { resource_type: "handoff", resource_id: list.handoffs[0].id, redact_payloads: true });
  const context = await browser.newContext({ acceptDownloads: true }); // no cookies, no key
  const page = await context.newPage();
  await page.goto(url);
  const digest = (await page.getByTestId("evidence-digest").textContent())!.trim();
  expect(digest).toMatch(/^[0-9a-f]{64}$/);
  const shownKey = (await page.getByTestId("evidence-key-fingerprint").textContent())!.replace(/\s/g, "");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download signed evidence" }).click()]);
  const file = path.join(dir, "handoff.ndjson");
  await download.saveAs(file);
  const text = readFileSync(file, "utf8");
  expect(text).toContain('"redacted":true');

  const ok = verifyBundle([file]);
  expect(ok.out).toContain("VERIFIED");
  expect(ok.code).toBe(0);
  expect(ok.out).toContain(`Records root ${digest}`);

  // The key Verdict publishes (no sign-in needed) is the one shown and the one that signed.
  const published = await (await context.request.get("/api/v1/integrity/public-key")).json();
  expect(published.fingerprint).toBe(shownKey);
  const pem = path.join(dir, "verdict-public-key.pem");
  writeFileSync(pem, published.public_key);
  expect(verifyBundle([file, "--public-key", pem]).code).toBe(0);

  // One byte of the handoff's stored fields changed: refused, naming the record.
  const lines = text.trimEnd().split("\n");
  const i = lines.findIndex((l) => l.startsWith('{"type":"record","table":"handoffs"'));
  const id = JSON.parse(lines[i]).id as string;
  lines[i] = lines[i].replace('"generation":"', '"generation":"x');
  writeFileSync(file, lines.join("\n") + "\n");
  const bad = verifyBundle([file]);
  expect(bad.code).toBe(1);
  expect(bad.out).toContain(`record ${id}`);
  await context.close();
});

test("a shared agent's bundle holds exactly that agent's records; the Evidence page shows the same key", async ({ browser, page, request }) => {
  const url = await share(request, { resource_type: "agent", resource_id: "stock_analyst" });
  const token = url.replace("/s/", "");
  const context = await browser.newContext();
  const res = await context.request.get(`/api/s/${token}/evidence`);
  expect(res.status()).toBe(200);
  expect(res.headers()["cache-control"]).toContain("no-store");
  const text = await res.text();
  const records = text.trimEnd().split("\n").map((l) => JSON.parse(l)).filter((l) => l.type === "record");
  expect(records.length).toBeGreaterThan(0);
  expect(new Set(records.map((r) => r.row.agent_id))).toEqual(new Set(["stock_analyst"]));
  const file = path.join(dir, "agent.ndjson");
  writeFileSync(file, text);
  expect(verifyBundle([file]).code).toBe(0);
  await context.close();

  await page.goto("/evidence");
  const published = await (await request.get("/api/v1/integrity/public-key")).json();
  await expect(page.getByTestId("signing-key-fingerprint")).toHaveText(published.fingerprint.match(/.{4}/g).join(" "));
  // The whole store checks out.
  const integrity = await (await request.get("/api/v1/integrity", { headers: auth })).json();
  expect(integrity).toMatchObject({ ok: true, mismatches: [] });
  expect(integrity.records).toBeGreaterThan(0);
});
