// Every page at 390 px wide, in light and dark (prefers-color-scheme): no horizontal overflow,
// text contrast ≥ 4.5:1 (axe's color-contrast rule, WCAG 2 AA), a title of its own, and a
// screenshot in test-results/screens/ to look at. Also: specific not-found messages, and a
// chart that copes with one call far from the rest.
// Named zw-: it adds an agent, so it runs after the specs that count the demo data.
import { mkdirSync } from "node:fs";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { E2E_API_KEY, SIGN_IN_PORT } from "../playwright.config";

const auth = { Authorization: `Bearer ${E2E_API_KEY}` };
const SHOTS = "test-results/screens";

async function handoffId(request: APIRequestContext): Promise<string> {
  const body = await (await request.get("/api/v1/handoffs?outcome=CAUGHT&agent_id=fetch_and_claim", { headers: auth })).json();
  return body.handoffs[0].id;
}

async function shareUrl(request: APIRequestContext): Promise<string> {
  const res = await request.post("/api/v1/shares", { headers: auth, data: { resource_type: "agent", resource_id: "fetch_and_claim" } });
  expect(res.status()).toBe(201);
  return (await res.json()).url;
}

/** Relative luminance of [r, g, b] (0–255). */
function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((v) => v / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function check(page: Page, name: string, theme: "light" | "dark") {
  // Wait for the page's own heading (client parts render after hydration).
  await expect(page.locator("h1").first()).toBeVisible();
  await page.waitForLoadState("networkidle");
  const title = await page.title();
  expect.soft(title, `${name}: a title of its own`).toMatch(/^.+ · Verdict$/);
  const overflow = await page.evaluate(() => {
    const client = document.documentElement.clientWidth;
    // What sticks out, to name in a failure: elements, and text that does not wrap, outside any scrolling box.
    const clipped = (e: Element) => {
      for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== "visible") return true;
      return false;
    };
    const out: string[] = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n && out.length < 3; n = walker.nextNode()) {
      const r = document.createRange();
      r.selectNodeContents(n);
      if (r.getBoundingClientRect().right > client + 1 && n.parentElement && !clipped(n.parentElement)) out.push(`text "${n.textContent!.slice(0, 40)}"`);
    }
    for (const e of document.querySelectorAll("body *")) if (out.length < 6 && e.getBoundingClientRect().right > client + 1 && !clipped(e)) out.push(`${e.tagName.toLowerCase()}.${String(e.getAttribute("class")).slice(0, 50)}`);
    return { scroll: document.documentElement.scrollWidth, client, culprits: out };
  });
  expect.soft(overflow.scroll, `${name} (${theme}) is ${overflow.scroll}px wide in a ${overflow.client}px window: ${overflow.culprits.join(" | ")}`).toBeLessThanOrEqual(overflow.client);
  // The computed colour may be oklch(); a canvas pixel gives it in sRGB.
  const bg = await page.evaluate(() => {
    const ctx = document.createElement("canvas").getContext("2d")!;
    ctx.fillStyle = getComputedStyle(document.body).backgroundColor;
    ctx.fillRect(0, 0, 1, 1);
    return [...ctx.getImageData(0, 0, 1, 1).data.slice(0, 3)];
  });
  if (theme === "dark") expect.soft(luminance(bg), `${name}: dark background`).toBeLessThan(0.05);
  else expect.soft(luminance(bg), `${name}: light background`).toBeGreaterThan(0.8);
  await page.screenshot({ path: `${SHOTS}/${name}-${theme}.png`, fullPage: true });
  const axe = await new AxeBuilder({ page }).withRules(["color-contrast"]).analyze();
  const bad = axe.violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(" ")}: ${n.any.map((a) => a.message).join("; ")}`));
  expect.soft(bad, `${name} (${theme}) contrast`).toEqual([]);
}

async function contextFor(browser: Browser, theme: "light" | "dark", baseURL?: string) {
  return browser.newContext({ viewport: { width: 390, height: 844 }, colorScheme: theme, baseURL });
}

for (const theme of ["light", "dark"] as const) {
  test(`every page at 390 px, ${theme}`, async ({ browser, request, baseURL }) => {
    test.setTimeout(180_000);
    mkdirSync(SHOTS, { recursive: true });
    const pages: [string, string][] = [
      ["overview", "/"],
      ["agents", "/agents"],
      ["agent-timeline", "/agents/fetch_and_claim"],
      ["handoffs", "/handoffs"],
      ["handoff", `/handoffs/${await handoffId(request)}`],
      ["policy", "/policy"],
      ["alerts", "/alerts"],
      ["shares", "/shares"],
      ["shared-page", await shareUrl(request)],
    ];
    const context = await contextFor(browser, theme, baseURL);
    const page = await context.newPage();
    for (const [name, path] of pages) {
      await page.goto(path);
      await check(page, name, theme);
    }
    // The timeline with an event selected: the side panel falls below the list at this width.
    await page.goto("/agents/fetch_and_claim");
    // A key pressed before hydration is lost (CI lost one here under load).
    await page.locator('[data-timeline-ready="true"]').waitFor();
    await page.getByTestId("timeline-list").focus();
    await page.keyboard.press("n");
    await expect(page.getByTestId("selected-event").getByRole("region", { name: "Response" })).toBeVisible();
    await check(page, "agent-timeline-selected", theme);
    await context.close();

    const signIn = await contextFor(browser, theme, `http://127.0.0.1:${SIGN_IN_PORT}`);
    const p2 = await signIn.newPage();
    await p2.goto("/sign-in");
    await check(p2, "sign-in", theme);
    await signIn.close();
  });
}

test("not-found pages name what was asked for", async ({ page }) => {
  const cases: [string, string][] = [
    ["/agents/no_such_agent", "No agent ‘no_such_agent’"],
    ["/handoffs/no-such-handoff", "No handoff ‘no-such-handoff’"],
    ["/intercepts/no-such-call", "No recorded call ‘no-such-call’"],
  ];
  for (const [path, heading] of cases) {
    const res = await page.goto(path);
    expect(res?.status(), path).toBe(404);
    await expect(page.getByRole("heading", { name: heading })).toBeVisible();
  }
});

test("one call days away from the rest does not squeeze the chart into one bar", async ({ page, request }) => {
  const t0 = Date.parse("2026-10-01T09:00:00Z");
  const call = (i: number, at: number) => ({
    type: "intercept", source: "e2e-outlier", id: i, agent_id: "outlier_agent", action_name: "probe",
    source_url: "https://api.example.com/probe", request_payload: { url: "https://api.example.com/probe", method: "GET" }, raw_response: { ok: true },
    created_at: new Date(at).toISOString(),
  });
  // Sixty calls across an hour, one five days later.
  const records = [...Array.from({ length: 60 }, (_, i) => call(i + 1, t0 + i * 60_000)), call(61, t0 + 5 * 86_400_000)];
  const res = await request.post("/api/v1/ingest", { headers: auth, data: { records } });
  expect(res.status()).toBe(200);
  await page.goto("/agents/outlier_agent");
  await expect(page.getByTestId("activity-gap")).toHaveCount(1);
  expect(await page.getByTestId("activity-bar").count()).toBeGreaterThanOrEqual(30);
  await expect(page.getByTestId("activity-chart")).toContainText("Calls per minute");
});

/** CAUGHT instrumentation verdicts not marked false alarm (e2e/triage.spec.ts marks some before this file runs). */
async function openInstrumentation(request: APIRequestContext): Promise<number> {
  const api = await (await request.get("/api/v1/handoffs?outcome=CAUGHT&category=instrumentation", { headers: auth })).json();
  return api.counts.total - (api.counts.reviews.false_alarm ?? 0);
}

test("the overview's 'needs attention' cards open their filtered views", async ({ page, request }) => {
  await page.goto("/");
  const attention = page.getByTestId("needs-attention");
  await expect(attention.getByTestId("category-instrumentation")).toContainText(`instrumentation: ${await openInstrumentation(request)}`);
  await expect(attention.getByTestId("attention-unreviewed")).toContainText("Not yet reviewed (");
  await expect(attention.getByTestId("attention-unreviewed").getByTestId("attention-handoff").first()).toBeVisible();
  await expect(attention.getByTestId("attention-leaks").getByRole("link", { name: /fetch_and_claim/ }).first()).toBeVisible();
  await attention.getByTestId("category-instrumentation").click();
  await expect(page).toHaveURL(/\/handoffs\?outcome=CAUGHT&category=instrumentation$/);
  await page.goBack();
  await attention.getByTestId("attention-leaks").getByRole("link", { name: /fetch_and_claim/ }).first().click();
  await expect(page).toHaveURL(/\/agents\/fetch_and_claim\?leaks_only=true&event=/);
  await expect(page.locator('[data-testid="timeline-event"][aria-selected="true"]')).toHaveAttribute("data-leak", "true");
});

test("triage: overview → category → handoff → mark false alarm → gone from 'needs attention'", async ({ page, request }) => {
  await page.goto("/");
  const attention = page.getByTestId("needs-attention");
  const unreviewed = attention.getByTestId("attention-unreviewed");
  const countOf = async () => Number((await unreviewed.getByRole("heading").textContent())!.match(/\((\d+)\)/)![1]);
  const before = await countOf();
  const open = await openInstrumentation(request);
  expect(before).toBeGreaterThan(0);
  await expect(attention.getByTestId("category-instrumentation")).toContainText(`instrumentation: ${open}`);

  await attention.getByTestId("category-instrumentation").click();
  await expect(page).toHaveURL(/\/handoffs\?outcome=CAUGHT&category=instrumentation$/);
  const row = page.getByTestId("handoff-row").filter({ hasText: "not reviewed" }).first();
  await row.getByRole("link").first().click();
  await expect(page).toHaveURL(/\/handoffs\/[^?]+/);
  const id = decodeURIComponent(page.url().split("/handoffs/")[1].split("?")[0]);
  await page.getByTestId("review-form").getByRole("button", { name: "Mark false alarm" }).click();
  await expect(page.getByTestId("review-history")).toContainText("false alarm");

  await page.goto("/");
  await expect(unreviewed.getByRole("heading")).toHaveText(`Not yet reviewed (${before - 1})`);
  await expect(unreviewed.locator(`a[href="/handoffs/${encodeURIComponent(id)}"]`)).toHaveCount(0);
  await expect(attention.getByTestId("category-instrumentation")).toContainText(`instrumentation: ${open - 1}`);
});
