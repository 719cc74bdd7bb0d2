// Named zz-: it ingests a leak, so it runs after the specs that count the demo data.
// The Alerts page as a user meets it: from the nav, create a rule, send a test to a real
// receiver on loopback, see the delivery log; a leak then arrives signed; a rule that keeps
// failing shows as failing here and on the overview; delete.
import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { E2E_API_KEY, SIGN_IN_PORT } from "../playwright.config";

interface Got { headers: Record<string, string>; raw: string }

async function receiver() {
  const got: Got[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (c) => (raw += c));
    req.on("end", () => {
      got.push({ headers: req.headers as Record<string, string>, raw });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  return { got, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

const signed = (secret: string, g: Got) =>
  g.headers["verdict-signature"] === "v1=" + createHmac("sha256", secret).update(`${g.headers["verdict-timestamp"]}.${g.raw}`).digest("hex");

async function createRule(page: Page, name: string, url: string): Promise<string> {
  const form = page.getByRole("form", { name: "New alert rule" });
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Agent (optional)").fill("alerts_e2e");
  await form.getByPlaceholder("https://…").fill(url);
  await form.getByRole("button", { name: "Create rule" }).click();
  const secret = page.getByTestId("rule-secret");
  await expect(secret).toBeVisible();
  return (await secret.textContent())!;
}

const ruleItem = (page: Page, name: string) => page.getByTestId("alert-rule").filter({ hasText: name });

test("create a rule, send a test, see the delivery log; a leak arrives signed; a failing rule is shown; delete", async ({ page, request }) => {
  const rx = await receiver();
  page.on("dialog", (d) => d.accept());
  try {
    await page.goto("/");
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Alerts" }).click();
    await expect(page.getByRole("heading", { name: "Alerts" })).toBeVisible();

    // A destination that is not allowed is refused with the reason, next to the field.
    const form = page.getByRole("form", { name: "New alert rule" });
    await form.getByLabel("Name").fill("bad");
    await form.getByPlaceholder("https://…").fill("http://203.0.113.9/hook");
    await form.getByRole("button", { name: "Create rule" }).click();
    await expect(form.getByText("http:// is allowed only to loopback")).toBeVisible();

    const secret = await createRule(page, "e2e leaks", rx.url);
    expect(secret).toMatch(/^whsec_/);
    const rule = ruleItem(page, "e2e leaks");
    await expect(rule).toContainText("untested");

    await rule.getByRole("button", { name: "Send test" }).click();
    await expect(rule.getByRole("status")).toHaveText("Test delivered (204)");
    expect(rx.got).toHaveLength(1);
    expect(signed(secret, rx.got[0])).toBe(true);
    await expect(rule.getByTestId("delivery-row")).toHaveCount(1);
    await expect(rule.getByTestId("delivery-row").first()).toContainText("delivered");
    await expect(rule.getByTestId("delivery-row").first()).toContainText("204");
    await expect(rule).toContainText("ok");

    // Then the agent leaks a tag: the message comes from the delivery loop, signed.
    const t = Date.now();
    const res = await request.post("/api/v1/ingest", { headers: { Authorization: `Bearer ${E2E_API_KEY}` }, data: { records: [
      { type: "intercept", id: "alerts-e2e-tool", agent_id: "alerts_e2e", action_name: "fetch_rates", source_url: "https://rates.example.com/v1", request_payload: {}, raw_response: { eur: 1.1 }, created_at: new Date(t).toISOString() },
      { type: "intercept", id: "alerts-e2e-llm", agent_id: "alerts_e2e", action_name: "fetch_rates", source_url: "https://api.openai.com/v1/chat/completions", request_payload: {}, raw_response: {}, created_at: new Date(t + 1).toISOString() },
    ] } });
    expect(res.status()).toBe(200);
    await expect.poll(() => rx.got.length, { timeout: 15_000 }).toBe(2);
    expect(signed(secret, rx.got[1])).toBe(true);
    expect(JSON.parse(rx.got[1].raw)).toMatchObject({ event: "leak", agent_id: "alerts_e2e", count: 1 });
    await page.reload();
    await expect(ruleItem(page, "e2e leaks").getByTestId("delivery-row")).toHaveCount(2);

    // A rule whose receiver is down: after three failed tests it is failing, here and on the overview.
    await createRule(page, "e2e down", "http://127.0.0.1:9/hook");
    const down = ruleItem(page, "e2e down");
    for (let i = 0; i < 3; i++) {
      await down.getByRole("button", { name: "Send test" }).click();
      await expect(down.getByRole("status")).toContainText("Test failed");
      await expect(down.getByTestId("delivery-row")).toHaveCount(i + 1);
    }
    await expect(down).toContainText("failing");
    await page.goto("/");
    await expect(page.getByTestId("failing-alerts")).toContainText('The alert rule "e2e down" keeps failing to deliver.');

    await page.goto("/alerts");
    for (const name of ["e2e down", "e2e leaks"]) {
      await ruleItem(page, name).getByRole("button", { name: "Delete" }).click();
      await expect(ruleItem(page, name)).toHaveCount(0);
    }
    await page.goto("/");
    await expect(page.getByTestId("failing-alerts")).toHaveCount(0);
  } finally {
    await rx.close();
  }
});

test("with an admin password, the Alerts page needs sign-in", async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`http://127.0.0.1:${SIGN_IN_PORT}/alerts`);
  await expect(page).toHaveURL(/\/sign-in\?next=%2Falerts/);
  expect((await page.request.get(`http://127.0.0.1:${SIGN_IN_PORT}/api/v1/alert-rules`)).status()).toBe(401);
  await context.close();
});
