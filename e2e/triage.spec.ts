// Issue 17: CAUGHT verdicts triaged at a glance — the category bar, cause columns, the summary
// sentence, previous / next within a filter, and marking false alarms from the list and the page.
import { expect, test } from "@playwright/test";
import { E2E_API_KEY } from "../playwright.config";

const auth = { Authorization: `Bearer ${E2E_API_KEY}` };
const LABEL: Record<string, string> = { agent: "agent", instrumentation: "instrumentation", configuration: "configuration", not_evaluated: "not evaluated", none: "no cause found" };

test("the CAUGHT list says whose fault each verdict is, with counts per category", async ({ page, request }) => {
  const api = await (await request.get("/api/v1/handoffs?outcome=CAUGHT", { headers: auth })).json();
  const cats = api.counts.categories as Record<string, number>;
  const expected = `CAUGHT ${api.counts.total} — ` + ["agent", "instrumentation", "configuration", "not_evaluated", "none"].filter((c) => cats[c]).map((c) => `${LABEL[c]} ${cats[c]}`).join(" · ");

  await page.goto("/handoffs?outcome=CAUGHT");
  const bar = page.getByTestId("category-counts");
  await expect(bar).toHaveText(expected);
  console.log(`[triage] the demo's category bar reads: ${await bar.textContent()}`);
  await expect(page.getByRole("columnheader", { name: "Evaluator" })).toBeVisible();
  await expect(page.getByRole("columnheader", { name: "Verdict (recomputed)" })).toBeVisible();

  await bar.getByTestId("category-agent").click();
  await expect(page).toHaveURL(/category=agent/);
  await expect(page.getByTestId("handoff-row")).toHaveCount(cats.agent);
  await expect(page.getByTestId("handoff-row").first().getByTestId("cause")).toHaveText("Value mismatch");
});

test("a handoff page opens with one summary sentence; the trust gate is labelled a consequence; next stays in the filter", async ({ page, request }) => {
  const api = await (await request.get("/api/v1/handoffs?outcome=CAUGHT&category=instrumentation", { headers: auth })).json();
  await page.goto("/handoffs?outcome=CAUGHT&category=instrumentation");
  await page.getByTestId("handoff-row").first().getByRole("link").click();
  await expect(page).toHaveURL(new RegExp(`/handoffs/${api.handoffs[0].id}\\?outcome=CAUGHT&category=instrumentation$`));
  const sentence = page.getByTestId("summary-sentence");
  await expect(sentence).toContainText(/^Leaked tag: the claim .* (holds|fails) against tool call int_.*; this CAUGHT is an instrumentation fault/);
  await expect(page.getByTestId("trust-gate").getByTestId("consequence-label")).toHaveText("Consequence of the leaked tag, not a separate fault");
  // Readable time, the stored value on hover.
  await expect(page.locator("header time").first()).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d:\d\d UTC$/);
  await page.getByTestId("older-handoff").click();
  await expect(page).toHaveURL(new RegExp(`/handoffs/${api.handoffs[1].id}\\?outcome=CAUGHT&category=instrumentation$`));
  await expect(page.getByTestId("newer-handoff")).toHaveAttribute("href", new RegExp(api.handoffs[0].id));
});

test("marks a handoff false alarm from the list, and another from its page, with notes kept in the history", async ({ page, request }) => {
  await page.goto("/handoffs?outcome=CAUGHT&category=instrumentation&review=unreviewed");
  const rows = page.getByTestId("handoff-row");
  const before = await rows.count();
  expect(before).toBeGreaterThan(1);
  const first = rows.first();
  const task = (await first.getByRole("link").textContent())!;
  await first.getByRole("checkbox").check();
  const bulk = page.getByRole("region", { name: "Mark selected" }).or(page.getByLabel("Mark selected"));
  await bulk.getByPlaceholder("why (optional)").fill("Tag leak in the recorder; the agent was right.");
  await bulk.getByRole("button", { name: "Mark false alarm" }).click();
  // Refetched: the marked one leaves the "not reviewed" list.
  await expect(rows).toHaveCount(before - 1);
  await page.getByLabel("Review").selectOption("false_alarm");
  await expect(page).toHaveURL(/review=false_alarm/);
  await expect(rows.filter({ hasText: task })).toHaveCount(1);
  await expect(rows.filter({ hasText: task }).getByTestId("review-badge")).toHaveText("false alarm");

  // From the page: the history records the note, who and when.
  await page.goto("/handoffs?outcome=CAUGHT&category=instrumentation&review=unreviewed");
  await rows.first().getByRole("link").click();
  await expect(page.getByTestId("review-history")).toHaveCount(0);
  const form = page.getByTestId("review-form");
  await form.getByPlaceholder("why (optional)").fill("Second look: also a leaked tag.");
  await form.getByRole("button", { name: "Mark false alarm" }).click();
  const history = page.getByTestId("review-history");
  await expect(history).toContainText("false alarm");
  await expect(history).toContainText("Second look: also a leaked tag.");
  await expect(history).toContainText(/UTC · dashboard \(no sign-in configured\)/);
  const id = page.url().split("/handoffs/")[1].split("?")[0];
  const api = await (await request.get(`/api/v1/reviews?subject_type=handoff&subject_id=${id}`, { headers: auth })).json();
  expect(api.reviews).toEqual([expect.objectContaining({ state: "false_alarm", note: "Second look: also a leaked tag.", actor: "dashboard (no sign-in configured)" })]);
});

test("a leaked call is marked confirmed on its page, the history in the API", async ({ page, request }) => {
  const timeline = await (await request.get("/api/v1/agents/fetch_and_claim/timeline?leaks_only=true&limit=1", { headers: auth })).json();
  const leakId = timeline.events[0].id as string;
  await page.goto(`/intercepts/${leakId}`);
  const review = page.getByTestId("leak-review");
  await expect(review).toContainText("Not reviewed yet.");
  await review.getByPlaceholder("why (optional)").fill("The LLM summary ran inside the tool's tag.");
  await review.getByRole("button", { name: "Mark confirmed fault" }).click();
  await expect(review.getByTestId("review-history")).toContainText("confirmed fault");
  const api = await (await request.get(`/api/v1/reviews?subject_type=intercept&subject_id=${leakId}`, { headers: auth })).json();
  expect(api.reviews).toEqual([expect.objectContaining({ state: "confirmed", note: "The LLM summary ran inside the tool's tag." })]);
});
