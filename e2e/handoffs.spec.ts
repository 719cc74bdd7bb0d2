import { expect, test } from "@playwright/test";

test("a CAUGHT handoff from the demo data explains itself: diff, leaked_tag cause, link into the timeline", async ({ page }) => {
  await page.goto("/handoffs?outcome=CAUGHT&agent_id=fetch_and_claim");
  await expect(page.getByRole("heading", { name: "Handoffs" })).toBeVisible();
  const rows = page.getByTestId("handoff-row");
  await expect(rows).toHaveCount(5);
  await rows.filter({ hasText: "Oslo" }).getByRole("link").click();

  await expect(page).toHaveURL(/\/handoffs\/hof_/);
  await expect(page.getByText("Report the current temperature in Oslo.")).toBeVisible();
  const claim = page.getByTestId("claim").first();
  // the diff: the claimed temperature has no counterpart in the LLM answer it was checked against
  const diff = claim.getByTestId("claim-diff");
  await expect(diff).toContainText("added");
  await expect(diff).toContainText("$.current.temperature_2m");
  await expect(diff).toContainText("4.2");
  // the cause, and the tool call that should have been used
  const cause = claim.getByTestId("cause-leaked_tag");
  await expect(cause).toContainText("inherited the tool tag");
  await expect(page.getByTestId("trust-gate")).toContainText("https://api.openai.com/v1/chat/completions");

  const toTimeline = cause.getByTestId("timeline-link").last();
  const href = await toTimeline.getAttribute("href");
  expect(href).toMatch(/^\/agents\/fetch_and_claim\?event=int_/);
  await toTimeline.click();
  await expect(page).toHaveURL(new RegExp(`/agents/fetch_and_claim\\?event=${href!.split("event=")[1]}$`));
});

test("the outcome and agent filters live in the URL", async ({ page }) => {
  await page.goto("/handoffs");
  await page.getByLabel("Outcome").selectOption("PASS");
  await expect(page).toHaveURL(/outcome=PASS/);
  await expect(page.getByTestId("handoff-row")).toHaveCount(4);
  await page.getByLabel("Agent").selectOption("researcher");
  await expect(page).toHaveURL(/agent_id=researcher/);
  await expect(page.getByTestId("handoff-row")).toHaveCount(1);
});
