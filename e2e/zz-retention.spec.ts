// Named zz-: it ingests and deletes records, so it runs after the specs that count the demo data.
// The Settings page as a user meets it: from the nav, set an age for a source (a bad one is
// refused next to the field), hold an agent and release it (with a reason, kept in the
// history); old records of that source then go in a retention pass (`npx verdict retention`,
// as the scheduled job would), and the agent's page and the deletion log show the gap.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";

const ROOT = path.resolve(import.meta.dirname, "..");
const AGENT = "retention_e2e";
const old = (s: number) => new Date(Date.now() - 10 * 86_400_000 + s * 1000).toISOString();

test("retention ages and legal holds on the Settings page; a pass deletes, the gap shows", async ({ page, request, baseURL }) => {
  const auth = { authorization: `Bearer ${E2E_API_KEY}` };
  const records = Array.from({ length: 12 }, (_, i) => ({
    type: "intercept", id: `ret-${i}`, source: "e2e-src", agent_id: AGENT, action_name: "lookup",
    source_url: `https://tools.example/lookup?i=${i}`, request_payload: { method: "GET" }, raw_response: { i }, created_at: old(i),
  }));
  expect((await request.post("/api/v1/ingest", { headers: auth, data: { records } })).status()).toBe(200);

  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
  await expect(page.getByRole("heading", { name: "Settings", exact: true })).toBeVisible();

  // An agent under hold: retention would keep its records.
  const holdForm = page.getByRole("form", { name: "New legal hold" });
  await holdForm.getByLabel("Agent id").fill(AGENT);
  await holdForm.getByLabel("Reason").fill("e2e litigation");
  await holdForm.getByRole("button", { name: "Place hold" }).click();
  const hold = page.getByTestId("legal-hold").filter({ hasText: `agent ${AGENT}` });
  await expect(hold).toContainText("e2e litigation");
  await expect(hold).toContainText("dashboard");

  // Ages: a bad one is refused, a good one saved.
  const retention = page.getByRole("form", { name: "Retention" });
  await retention.getByRole("button", { name: "Add a source" }).click();
  await retention.getByLabel("Source", { exact: true }).fill("e2e-src");
  await retention.getByLabel("Age of e2e-src (days)").fill("0");
  await retention.getByRole("button", { name: "Save retention" }).click();
  await expect(retention.getByText(/at least 1|>=1/).first()).toBeVisible();
  await retention.getByLabel("Age of e2e-src (days)").fill("7");
  await retention.getByRole("button", { name: "Save retention" }).click();
  await expect(retention.getByRole("status")).toHaveText("Saved.");
  expect(await (await request.get("/api/v1/retention", { headers: auth })).json()).toMatchObject({ sources: { "e2e-src": 7 } });

  const databaseUrl = readFileSync(path.join(os.tmpdir(), `verdict-e2e-database-${new URL(baseURL!).port}`), "utf8");
  // One pass now, as the scheduled job would run it. The server's own job may be running at this
  // moment (it holds the lease, and the CLI says so): then wait for it and try again.
  const pass = async () => {
    for (let i = 0; ; i++) {
      const out = execFileSync(process.execPath, [path.join(ROOT, "bin/verdict.mjs"), "retention"], { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8" });
      if (!/another process is running retention/.test(out) || i > 40) return out;
      await new Promise((r) => setTimeout(r, 500));
    }
  };
  const left = async () => (await (await request.get(`/api/v1/agents/${AGENT}/timeline?limit=100`, { headers: auth })).json()).events?.length ?? 0;
  // Held: nothing of the agent goes.
  expect(await pass()).toMatch(/Retention deleted 0 records .*; 12 kept on legal hold/);
  expect(await left()).toBe(12);

  page.once("dialog", (d) => d.accept("case closed"));
  await hold.getByRole("button", { name: "Release" }).click();
  await expect(hold).toContainText("by dashboard: case closed");

  await pass(); // this pass, or the server's own job if it ran first, deletes them
  expect(await left()).toBe(0);
  await page.reload();
  const row = page.getByTestId("deletion").filter({ hasText: "retention (default: keep forever; e2e-src: 7 days)" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("12");
  const day = new Date().toISOString().slice(0, 10);
  await page.goto(`/agents/${AGENT}`);
  await expect(page.getByTestId("deletion-gap")).toContainText(`12 records deleted by retention on ${day}`);

  // Leave the demo server as it was: no age.
  expect((await request.post("/api/v1/retention", { headers: auth, data: { default_days: null, sources: {} } })).status()).toBe(200);
});
