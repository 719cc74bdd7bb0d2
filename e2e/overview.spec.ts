import { expect, test } from "@playwright/test";

test("the overview shows the demo data's counts and the navigation", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  // fetch_and_claim, weather_reporter, stock_analyst, researcher, and the two policy-gate agents
  await expect(page.getByTestId("stat-Agents")).toHaveText("6");
  await expect(page.getByTestId("stat-Tag leaks")).toHaveText("5");
  const nav = page.getByRole("navigation", { name: "Main" });
  for (const label of ["Agents", "Handoffs", "Policy decisions", "Shares", "Alerts", "Settings"]) {
    await expect(nav.getByRole("link", { name: label })).toBeVisible();
  }
});
