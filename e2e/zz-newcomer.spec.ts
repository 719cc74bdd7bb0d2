// Runs after the specs that count the demo agents (overview.spec.ts): it adds an agent of its own.
// A newcomer, in the README's own order: the dashboard is open before any record of theirs
// exists; they create a key the README's way (`npx verdict keys create`), paste the README's
// curl example as written (only the host changed), and see their records, the leak in red,
// on the agent's timeline. No page may log a console error (a missing favicon did).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";

const ROOT = path.resolve(import.meta.dirname, "..");

/** The README's first-records example: the shell lines from `now=` to the end of the curl command. */
function readmeExample(): string {
  const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("**Your first records**"));
  const block = section.slice(section.indexOf("```sh") + 5, section.indexOf("```", section.indexOf("```sh") + 5));
  const lines = block.split("\n");
  const from = lines.findIndex((l) => l.startsWith("now="));
  const to = lines.findIndex((l, i) => i > from && l.startsWith("# →"));
  expect(from, "the README example sets now=").toBeGreaterThanOrEqual(0);
  expect(to, "the README example shows its answer").toBeGreaterThan(from);
  return lines.slice(from, to).join("\n");
}

test("README order: open the dashboard, create a key, send the example, see it on the timeline", async ({ page, baseURL }) => {
  const consoleErrors: string[] = [];
  page.on("console", (m) => m.type() === "error" && consoleErrors.push(`${page.url()}: ${m.text()}`));

  // 1. The dashboard, before any record of the newcomer's.
  for (const p of ["/", "/agents", "/handoffs", "/policy"]) {
    const res = await page.goto(p);
    expect(res?.status(), p).toBe(200);
  }
  expect((await page.request.get("/favicon.ico")).status()).toBe(200);

  // 2. A key, the README's way.
  const port = new URL(baseURL!).port;
  const databaseUrl = readFileSync(path.join(os.tmpdir(), `verdict-e2e-database-${port}`), "utf8");
  const created = execFileSync(process.execPath, [path.join(ROOT, "bin/verdict.mjs"), "keys", "create", "my-first-key"], {
    cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, encoding: "utf8",
  });
  const key = created.match(/\bvk_[A-Za-z0-9_-]+/)?.[0];
  expect(key, created).toBeTruthy();

  // 3. The README's example, as written, against this server.
  const script = readmeExample().replaceAll("http://127.0.0.1:3000", baseURL!);
  const answer = execFileSync("bash", ["-c", script], { env: { ...process.env, VERDICT_API_KEY: key! }, encoding: "utf8" });
  expect(JSON.parse(answer)).toMatchObject({ accepted: 2, duplicates: 0, rejected: [] });

  // 4. On the timeline: both calls, the LLM call red and linked to the tool call.
  await page.goto("/agents");
  await page.getByRole("link", { name: "my_first_agent" }).click();
  await expect(page.getByRole("heading", { name: "my_first_agent" })).toBeVisible();
  await expect(page.getByTestId("timeline-event")).toHaveCount(2);
  await expect(page.getByTestId("leak-counter")).toHaveText("1 leak");
  const leak = page.locator('[data-testid="timeline-event"][data-leak="true"]');
  await expect(leak).toContainText("api.openai.com");
  await leak.getByRole("button", { name: "↑ tool call" }).click();
  await expect(page.locator('[data-testid="timeline-event"][aria-selected="true"]')).toContainText("api.open-meteo.com");

  expect(consoleErrors).toEqual([]);
});
