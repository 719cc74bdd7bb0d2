// The timeline by keyboard, the side panel's evidence, and the activity chart's range picking.
import { expect, test } from "@playwright/test";

const selected = '[data-testid="timeline-event"][aria-selected="true"]';

test("↑/↓ select, n/p walk the leaks with 'leak i of 5', Esc closes, Enter opens", async ({ page }) => {
  await page.goto("/agents/fetch_and_claim");
  await page.locator('[data-timeline-ready="true"]').waitFor();
  const list = page.getByTestId("timeline-list");
  await list.focus();
  await page.keyboard.press("ArrowDown");
  const first = page.locator(selected);
  await expect(first).toHaveCount(1);
  const firstId = await first.getAttribute("data-event-id");
  await expect(list).toHaveAttribute("aria-activedescendant", `event-${firstId}`);
  await page.keyboard.press("ArrowDown");
  await expect(page.locator(selected)).not.toHaveAttribute("data-event-id", firstId!);
  await page.keyboard.press("ArrowUp");
  await expect(page.locator(selected)).toHaveAttribute("data-event-id", firstId!);

  await page.keyboard.press("n");
  await expect(page.locator(selected)).toHaveAttribute("data-leak", "true");
  await expect(page.getByTestId("leak-position")).toHaveText("leak 1 of 5");
  await page.keyboard.press("n");
  await expect(page.getByTestId("leak-position")).toHaveText("leak 2 of 5");
  const second = await page.locator(selected).getAttribute("data-event-id");
  await page.keyboard.press("p");
  await expect(page.getByTestId("leak-position")).toHaveText("leak 1 of 5");
  // The buttons do the same as the keys.
  await page.getByRole("button", { name: "Jump to next leak" }).click();
  await expect(page.locator(selected)).toHaveAttribute("data-event-id", second!);
  await page.getByRole("button", { name: "Previous leak" }).click();
  await expect(page.getByTestId("leak-position")).toHaveText("leak 1 of 5");

  // The side panel: the leaked LLM call's request and response, its ids with copy buttons.
  const panel = page.getByTestId("selected-event");
  await expect(panel.getByRole("region", { name: "Request" }).getByTestId("json-tree")).toContainText("gpt-4o-mini");
  await expect(panel.getByRole("region", { name: "Response" }).getByTestId("json-tree")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Copy Verdict id" })).toBeVisible();

  await list.focus();
  await page.keyboard.press("Escape");
  await expect(page.locator(selected)).toHaveCount(0);
  await expect(page).not.toHaveURL(/event=/);

  await page.keyboard.press("n");
  const leakId = await page.locator(selected).getAttribute("data-event-id");
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(new RegExp(`/intercepts/${leakId}$`));
  await expect(page.getByRole("heading", { name: "Recorded call" })).toBeVisible();
});

test("an LLM call outside any tool reads as a neutral 'no tool tag'", async ({ page }) => {
  await page.goto("/agents/fetch_and_claim?kinds=llm_call");
  await page.locator('[data-timeline-ready="true"]').waitFor();
  const plain = page.locator('[data-testid="timeline-event"]:not([data-leak="true"])').first();
  await expect(plain.getByTestId("tag-status")).toHaveText("no tool tag");
  await expect(page.locator('[data-testid="timeline-event"][data-kind="llm_call"]').getByText("untagged", { exact: true })).toHaveCount(0);
  await plain.click();
  await expect(page.getByTestId("no-tool-tag")).toContainText("No tool tag");
});

test("a selected handoff shows its cause and claimed vs recorded", async ({ page }) => {
  await page.goto("/agents/fetch_and_claim?kinds=handoff");
  await page.locator('[data-timeline-ready="true"]').waitFor();
  await page.getByTestId("timeline-event").filter({ hasText: "CAUGHT" }).first().click();
  const causes = page.getByTestId("handoff-causes");
  await expect(causes.getByRole("region", { name: "Cause" })).toContainText("leaked_tag");
  await expect(causes.getByTestId("claim-row").first()).toContainText("CAUGHT");
});

test("clicking or dragging on the activity chart sets From and To", async ({ page }) => {
  await page.goto("/agents/fetch_and_claim");
  await page.locator('[data-timeline-ready="true"]').waitFor();
  const svg = page.getByTestId("activity-chart").locator("svg");
  const bar = page.getByTestId("activity-bar").first();
  await bar.click();
  await expect(page).toHaveURL(/from=.*&to=|to=.*&from=/);
  const from = await page.getByLabel("From (UTC)").inputValue();
  const to = await page.getByLabel("To (UTC)").inputValue();
  expect(from).not.toBe("");
  expect(to > from).toBe(true);

  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).not.toHaveURL(/from=/);
  await expect(page.getByLabel("From (UTC)")).toHaveValue("");
  const box = (await svg.boundingBox())!;
  await page.mouse.move(box.x + 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  await expect(page.getByTestId("activity-brush")).toBeVisible();
  await page.mouse.up();
  // The range reaches the URL and the inputs after the drag ends: wait for it, do not race it.
  await expect(page).toHaveURL(/from=/);
  await expect(page.getByLabel("From (UTC)")).not.toHaveValue("");
  const wideFrom = await page.getByLabel("From (UTC)").inputValue();
  const wideTo = await page.getByLabel("To (UTC)").inputValue();
  expect(wideFrom).not.toBe("");
  expect(wideTo > wideFrom).toBe(true);
});
