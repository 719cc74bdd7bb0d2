import { expect, test } from "@playwright/test";

test("policy page: filter the demo decisions to BLOCK and open one blocked call", async ({ page }) => {
  await page.goto("/policy");
  await expect(page.getByRole("heading", { name: "Policy decisions" })).toBeVisible();
  // Per-policy figures: no_external_financials fired once and blocked once.
  const row = page.getByTestId("policy-row").filter({ hasText: "no_external_financials" });
  await expect(row).toContainText("100%");
  await expect(page.getByTestId("gate-evaluation")).toHaveCount(4);

  await page.getByRole("combobox", { name: "Action", exact: true }).selectOption("BLOCK");
  await expect(page).toHaveURL(/\/policy\?action=BLOCK$/);
  // send_email (three edges), delete_records (fail-closed) and the older-shape send_email.
  const cards = page.getByTestId("gate-evaluation");
  await expect(cards).toHaveCount(3);
  for (const badge of await page.getByTestId("gate-outcome").all()) await expect(badge).toHaveText("BLOCK");
  await expect(cards.filter({ hasText: "delete_records" }).getByTestId("fail-closed").first()).toBeVisible();
  // The older shape names no edge: each is recovered from the gate's walk and marked so.
  const older = cards.filter({ hasText: "legacy_mailer" });
  await expect(older.getByTestId("reconstructed")).toHaveCount(3);
  await expect(older.getByTestId("edge-row").nth(1)).toContainText("send → email");
  await expect(older.getByTestId("edge-row").nth(1)).toContainText("needs_reviewer");
  await expect(older.getByTestId("edge-row").nth(1)).toContainText("fired (returned true)");
  await expect(page.getByTestId("indistinguishable")).toHaveCount(0);
  // Three tool calls blocked, however many callbacks fired.
  await expect(page.getByTestId("blocked-calls")).toHaveText("3");

  const blocked = cards.filter({ hasText: "no_external_financials" });
  await blocked.getByRole("link", { name: "Open call" }).click();
  await expect(page).toHaveURL(/\/policy\/calls\/[0-9a-f]{32}#evaluation-/);
  await expect(page.getByRole("heading", { name: "Tool call send_email" })).toBeVisible();
  await expect(page.getByTestId("edge-row")).toHaveCount(3);
  await expect(page.getByTestId("edge-row").nth(1)).toContainText("Email → ExternalParty");
  await expect(page.getByTestId("edge-row").nth(1)).toContainText("D2 CAPABILITIES → D3 CONSTRAINTS");
  await expect(page.getByTestId("edge-row").nth(1)).toContainText("fired (passed: false)");
  await expect(page.getByText("Reason: Financial data may not be emailed to external parties.")).toBeVisible();
  // The SMTP password in the arguments was removed at ingest, and the page says which key held it.
  const args = page.getByRole("region", { name: "Arguments" });
  await expect(args).toContainText("[secret removed: ");
  await expect(page.locator("body")).not.toContainText("demo-password");
});

test("the timeline's link to an agent's decisions and the overview's BLOCK link work", async ({ page }) => {
  await page.goto("/policy?agent_id=legacy_mailer");
  await expect(page.getByRole("combobox", { name: "Agent", exact: true })).toHaveValue("legacy_mailer");
  await expect(page.getByTestId("gate-evaluation")).toHaveCount(1);
  await expect(page.getByTestId("edge-row").first()).toContainText("send → email");
  await expect(page.getByTestId("reconstructed").first()).toBeVisible();

  // The agent's header counts blocked tool calls (one, though three callbacks recorded BLOCK) and links to them.
  await page.goto("/agents/legacy_mailer");
  await expect(page.getByTestId("agent-blocks")).toHaveText("1 tool call blocked");
  await page.getByTestId("agent-blocks").click();
  await expect(page).toHaveURL(/\/policy\?agent_id=legacy_mailer&action=BLOCK$/);
  await expect(page.getByTestId("blocked-calls")).toHaveText("1");

  await page.goto("/");
  await expect(page.getByTestId("stat-Blocked tool calls")).toContainText("3");
  await page.getByTestId("stat-Blocked tool calls").click();
  await expect(page).toHaveURL(/\/policy\?action=BLOCK$/);
  await expect(page.getByRole("combobox", { name: "Action", exact: true })).toHaveValue("BLOCK");
});

test("an invalid filter in the URL says so instead of failing", async ({ page }) => {
  await page.goto("/policy?depth=D9");
  await expect(page.getByText("These filters are not valid")).toContainText("depth");
});
