import { expect, test } from "@playwright/test";
import { E2E_ADMIN_PASSWORD, SIGN_IN_PORT } from "../playwright.config";

const base = `http://127.0.0.1:${SIGN_IN_PORT}`;

test("with an admin password, pages and reads need sign-in, and sign-in returns to the page asked for", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/agents?sort=leaks`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  expect((await page.request.get(`${base}/api/v1/agents`)).status()).toBe(401);

  await page.getByLabel("Admin password").fill("not-it");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("That password is not right.")).toBeVisible();

  await page.getByLabel("Admin password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${base}/agents?sort=leaks`);
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  expect((await page.request.get(`${base}/api/v1/agents`)).status()).toBe(200);
  await context.close();
});

test("sign-in never redirects off the site", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?next=${encodeURIComponent("/\\evil.example")}`);
  await page.getByLabel("Admin password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(`${base}/`);
  await context.close();
});

test("sign-in ignores a next that a browser would read as another site (tab, newline)", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  for (const next of ["/\t/evil.example", "/agents\r\nSet-Cookie: x=y"]) {
    await context.clearCookies();
    await page.goto(`${base}/sign-in?next=${encodeURIComponent(next)}`);
    await page.getByLabel("Admin password").fill(E2E_ADMIN_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(`${base}/`);
    await expect(page.getByRole("heading", { name: "Overview" })).toBeVisible();
  }
  await context.close();
});

test("sign out: the button ends the session; pages and reads need sign-in again", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?next=%2Fagents`);
  await page.getByLabel("Admin password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  const cookie = (await context.cookies()).find((c) => c.name === "verdict_session");
  expect(cookie?.httpOnly).toBe(true);
  expect(cookie?.secure).toBe(false); // served over plain http here
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);
  expect((await context.cookies()).find((c) => c.name === "verdict_session")).toBeUndefined();
  expect((await page.request.get(`${base}/api/v1/agents`)).status()).toBe(401);
  await page.goto(`${base}/handoffs`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fhandoffs/);
  await context.close();
});

test("a session that ends while a page is open: the next in-app navigation goes to sign-in, not to the data", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/sign-in?next=%2Fagents`);
  await page.getByLabel("Admin password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Agents" })).toBeVisible();
  await context.clearCookies(); // the session is gone (expired, or signed out in another tab)
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Handoffs" }).click();
  await expect(page).toHaveURL(/\/sign-in\?next=%2Fhandoffs/);
  await expect(page.getByLabel("Admin password")).toBeVisible();
  await context.close();
});

test("a review marked while signed in is recorded as the signed-in session's, in the page and the API", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${base}/handoffs?outcome=CAUGHT&review=unreviewed`);
  await expect(page).toHaveURL(/\/sign-in\?next=/);
  await page.getByLabel("Admin password").fill(E2E_ADMIN_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Handoffs" })).toBeVisible();
  await page.getByTestId("handoff-row").first().getByRole("link").click();
  const form = page.getByTestId("review-form");
  await form.getByPlaceholder("why (optional)").fill("Checked while signed in.");
  await form.getByRole("button", { name: "Mark confirmed fault" }).click();
  const history = page.getByTestId("review-history");
  await expect(history).toContainText("Checked while signed in.");
  await expect(history).toContainText(/UTC · signed-in session/);
  const id = page.url().split("/handoffs/")[1].split("?")[0];
  // The session cookie reads the API as the page does.
  const api = await (await page.request.get(`${base}/api/v1/reviews?subject_type=handoff&subject_id=${id}`)).json();
  expect(api.reviews).toEqual([expect.objectContaining({ state: "confirmed", note: "Checked while signed in.", actor: "signed-in session" })]);
  await context.close();
});
