// Named zy-: it adds an agent and a handoff, so it runs after the specs that count the demo data
// (Playwright runs files in name order with one worker); zz-no-script stays last.
// sourcerykit 1.0.1 records as the library writes them (tests/fixtures/sourcerykit-1.0.1.ts):
// the LLM call made inside the tool's scoped block shares its call_ref, and the evaluator,
// reading the first row of that call_ref, raised — the handoff is NOT EVALUATED.
import { expect, test } from "@playwright/test";
import { AGENT, BERGEN, claim, interceptRecords, payload, perClaim, REF_CLEAN, REF_LEAK } from "../tests/fixtures/sourcerykit-1.0.1";

const KEY = "e2e-api-key-not-secret";
const SOURCE = "sk-e2e";
const records = [
  ...interceptRecords(SOURCE),
  {
    type: "handoff", id: "sk-e2e-leak", source: SOURCE, agent_id: AGENT, created_at: "2026-11-20T10:00:10Z",
    payload: payload([claim(REF_LEAK, [{ path: "$.current.temperature_2m", value: "4.2" }])]),
    evaluation: { outcome: null, error: "KeyError: 'current'" },
  },
  {
    type: "handoff", id: "sk-e2e-caught", source: SOURCE, agent_id: AGENT, created_at: "2026-11-20T10:06:00Z",
    payload: payload([claim(REF_CLEAN, [{ path: "$.current.temperature_2m", value: "9.9" }])]),
    evaluation: { outcome: "CAUGHT", errors: [], per_claim: [{ ...perClaim(claim(REF_CLEAN, [{ path: "$.current.temperature_2m", value: "9.9" }]), BERGEN, "CAUGHT"), detail: "value 9.9 differs from the indexed 7.9" }] },
  },
];

test("a 1.0.1 handoff the evaluator never finished: NOT EVALUATED on the list and the page, the shared call_ref explained; the API filters it", async ({ page }) => {
  const res = await page.request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${KEY}` }, data: { records } });
  expect(res.status()).toBe(200);

  await page.goto("/handoffs");
  await page.getByLabel("Outcome").selectOption("NOT_EVALUATED");
  await expect(page).toHaveURL(/outcome=NOT_EVALUATED/);
  const rows = page.getByTestId("handoff-row");
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText("NOT EVALUATED");
  await expect(rows.first()).toContainText(AGENT);
  await expect(rows.first().getByTestId("disagrees-flag")).toHaveCount(0);
  await rows.first().getByRole("link").click();

  await expect(page).toHaveURL(/\/handoffs\/hof_/);
  await expect(page.getByTestId("not-evaluated")).toContainText("This is not a PASS");
  await expect(page.getByTestId("not-evaluated")).toContainText("KeyError: 'current'");
  await expect(page.getByTestId("outcome-rules")).toContainText("generation B");
  const c = page.getByTestId("claim").first();
  await expect(c.getByTestId("shared-call-ref")).toContainText("3 rows");
  await expect(c.getByTestId("cause-shared_call_ref")).toContainText("the claim holds");
  await expect(page.getByTestId("trust-gate")).toContainText("not checked (no claim carries a URL)");
  await expect(page.getByTestId("verdict-trust-check")).toContainText("Verdict's own check (not the evaluator's)");

  // Both LLM calls of the block are leaks of the tool call; the page of one says why.
  const tl = await page.request.get(`/api/v1/agents/${AGENT}/timeline?leaks_only=true`, { headers: { authorization: `Bearer ${KEY}` } });
  const leaks = (await tl.json()).events as { id: string }[];
  expect(leaks).toHaveLength(2);
  await page.goto(`/intercepts/${leaks[0].id}`);
  await expect(page.getByText(`carries call_ref ${REF_LEAK}`).first()).toBeVisible();

  // The evaluator's own per-claim detail is shown verbatim beside Verdict's.
  await page.goto("/handoffs?outcome=CAUGHT&agent_id=" + AGENT);
  await page.getByTestId("handoff-row").first().getByRole("link").click();
  await expect(page.getByTestId("claim").first().getByTestId("evaluator-detail")).toContainText("value 9.9 differs from the indexed 7.9");
  await expect(page.getByTestId("claim").first().getByTestId("claim-entry")).toContainText("differs");

  const api = await page.request.get("/api/v1/handoffs?outcome=NOT_EVALUATED", { headers: { authorization: `Bearer ${KEY}` } });
  expect(api.status()).toBe(200);
  const body = await api.json();
  expect(body.handoffs.map((h: { source_id: string; outcome: string }) => [h.source_id, h.outcome])).toEqual([["sk-e2e-leak", "NOT_EVALUATED"]]);
});
