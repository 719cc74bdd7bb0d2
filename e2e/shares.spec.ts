import { writeFileSync, rmSync } from "node:fs";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_API_KEY, E2E_CLOCK_FILE } from "../playwright.config";

const auth = { Authorization: `Bearer ${E2E_API_KEY}` };

async function demoHandoffId(request: APIRequestContext, outcome = "CAUGHT"): Promise<string> {
  const res = await request.get(`/api/v1/handoffs?outcome=${outcome}&agent_id=fetch_and_claim`, { headers: auth });
  const body = await res.json();
  return body.handoffs[0].id;
}

async function share(request: APIRequestContext, data: Record<string, unknown>) {
  const res = await request.post("/api/v1/shares", { headers: auth, data });
  expect(res.status()).toBe(201);
  return (await res.json()) as { id: string; url: string; expires_at: string };
}

test.afterEach(() => rmSync(E2E_CLOCK_FILE, { force: true }));

test("a shared CAUGHT handoff opens without an account, read-only, with the diff and the cause", async ({ browser, request }) => {
  const { url } = await share(request, { resource_type: "handoff", resource_id: await demoHandoffId(request) });
  const context = await browser.newContext(); // fresh: no cookies, no key
  const page = await context.newPage();
  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  expect(res?.headers()["cache-control"]).toContain("no-store");
  expect(res?.headers()["referrer-policy"]).toBe("no-referrer");
  expect(res?.headers()["x-robots-tag"]).toContain("noindex");
  await expect(page.getByTestId("shared-banner")).toContainText("Shared view (read-only)");
  await expect(page.getByText("leaked_tag").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Share" })).toHaveCount(0);
  await expect(page.getByRole("navigation", { name: "Main" })).toHaveCount(0);
  // No link leads anywhere but this shared page (and its own evidence download, by the same token).
  const token = url.replace("/s/", "");
  const hrefs = await page.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")));
  for (const h of hrefs) expect(h?.startsWith("/s/") || h === `/api/s/${token}/evidence` || h?.startsWith("#")).toBe(true);
  await context.close();
});

test("a shared agent timeline pages through the token, and the token opens nothing else", async ({ browser, request }) => {
  const { url } = await share(request, { resource_type: "agent", resource_id: "fetch_and_claim" });
  const token = url.replace("/s/", "");
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(url);
  await expect(page.getByTestId("shared-banner")).toContainText("fetch_and_claim");
  await expect(page.getByTestId("timeline-event").first()).toBeVisible();
  await expect(page.getByTestId("leak-badge").first()).toBeVisible();
  await expect(page.getByRole("button", { name: "Share" })).toHaveCount(0);
  // Another agent's intercept, through this share's data endpoint: refused.
  const other = await request.get("/api/v1/agents/stock_analyst/timeline?limit=1", { headers: auth });
  const otherId = (await other.json()).events[0].id;
  const refused = await page.request.get(`/api/s/${token}/intercepts/${otherId}`);
  expect(refused.status()).toBe(404);
  const refusedPage = await page.goto(`/s/${token}/intercepts/${otherId}`);
  expect(refusedPage?.status()).toBe(404);
  // The dashboard's own API needs a key or sign-in only when an admin password is set; the
  // shared page never calls it.
  await context.close();
});

test("a shared agent page opened with filters in its URL shows those events, as the dashboard's agent page does", async ({ browser, request }) => {
  const { url } = await share(request, { resource_type: "agent", resource_id: "fetch_and_claim" });
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${url}?leaks_only=true`);
  await expect(page.getByTestId("timeline-event").first()).toBeVisible();
  await expect(page.getByRole("checkbox", { name: "Leaks only" })).toBeChecked();
  // The server renders the first page with the URL's filters: no event but leaks, before and after hydration.
  const leaks = await page.getByTestId("timeline-event").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-leak")));
  expect(leaks.length).toBeGreaterThan(0);
  expect(leaks.filter((l) => l !== "true")).toEqual([]);
  await context.close();
});

test("revoked and expired links show the same 404 page", async ({ browser, request }) => {
  const handoff = await demoHandoffId(request);
  const revoked = await share(request, { resource_type: "handoff", resource_id: handoff });
  expect((await request.delete(`/api/v1/shares/${revoked.id}`, { headers: auth })).status()).toBe(204);
  const expiring = await share(request, { resource_type: "handoff", resource_id: handoff, expires_in_seconds: 3600 });
  const context = await browser.newContext();
  const page = await context.newPage();

  expect((await page.goto(expiring.url))?.status()).toBe(200);
  writeFileSync(E2E_CLOCK_FILE, String(3600_000 + 1000)); // one hour and a second later
  const expired = await page.goto(expiring.url);
  expect(expired?.status()).toBe(404);
  const expiredText = await page.locator("main").innerText();
  const gone = await page.goto(revoked.url);
  expect(gone?.status()).toBe(404);
  expect(await page.locator("main").innerText()).toBe(expiredText);
  await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
  expect((await page.goto(`/s/${"Q".repeat(43)}`))?.status()).toBe(404);
  expect(await page.locator("main").innerText()).toBe(expiredText);
  await context.close();
});
