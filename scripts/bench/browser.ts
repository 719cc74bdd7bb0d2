// The timeline page of an agent with many events in headless chromium: the time from
// navigation start until the events are on screen and the main thread answers (a frame
// and a task go through), and how many DOM nodes the page holds then.
import { chromium } from "@playwright/test";

export interface BrowserResult {
  path: string;
  events: number;
  interactive_ms: number;
  dom_nodes: number;
  rendered_events: number;
}

/** Rendered timeline events carry this attribute (the timeline page's markup contract). */
export const EVENT_SELECTOR = process.env.BENCH_EVENT_SELECTOR ?? "[data-event-id]";
const RUNS = 3;

export async function benchBrowser(baseUrl: string, agentId: string, events: number): Promise<BrowserResult | { missing: string }> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const path = `/agents/${encodeURIComponent(agentId)}`;
  try {
    const times: number[] = [];
    let dom = 0;
    let rendered = 0;
    // The first visit warms the server's page cache; the next ones are measured, each in a fresh context.
    for (let i = 0; i <= RUNS; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const res = await page.goto(baseUrl + path, { waitUntil: "commit" });
      if (!res || res.status() === 404) return { missing: `timeline page ${path} not built yet (404)` };
      if (res.status() >= 400) return { missing: `timeline page ${path} answered ${res.status()}` };
      try {
        await page.waitForSelector(EVENT_SELECTOR, { timeout: 30_000 });
      } catch {
        return { missing: `timeline page ${path} shows no ${EVENT_SELECTOR} element within 30 s` };
      }
      const at = await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => setTimeout(() => r(performance.now())))));
      if (i > 0) times.push(at);
      dom = await page.evaluate(() => document.getElementsByTagName("*").length);
      rendered = await page.locator(EVENT_SELECTOR).count();
      await context.close();
    }
    times.sort((a, b) => a - b);
    return { path, events, interactive_ms: Math.round(times[Math.floor(times.length / 2)]), dom_nodes: dom, rendered_events: rendered };
  } finally {
    await browser.close();
  }
}
