// Named zz-: it adds agents and a BLOCK decision, so it runs after the specs that count the demo data
// (Playwright runs files in name order with one worker).
// Records whose strings hold HTML and script are shown as text on every page, and no
// script from data runs: React escapes text, and the nonce CSP would block it anyway.
import { expect, test, type Page } from "@playwright/test";

const KEY = "e2e-api-key-not-secret";
const IMG = "<img src=x onerror=window.__xss=1>";
const SCRIPT = "<script>window.__xss=1</script>";
const AGENT = `xss_agent ${IMG}`;
const TOOL = `fetch_${SCRIPT}`;

const records = [
  {
    type: "intercept", id: "xss-1", source: `src ${SCRIPT}`, agent_id: AGENT, action_name: TOOL,
    source_url: `https://api.example.com/x?q=${encodeURIComponent(SCRIPT)}`,
    request_payload: { url: "https://api.example.com/x", method: "GET", params: { q: SCRIPT, [IMG]: IMG } },
    raw_response: { value: SCRIPT, html: IMG, nested: { [SCRIPT]: [IMG] } }, response_hash: IMG,
    call_ref: `ref ${IMG}`, run_id: `run ${SCRIPT}`, created_at: "2026-11-20T10:00:00Z",
  },
  {
    type: "intercept", id: "xss-2", source: `src ${SCRIPT}`, agent_id: AGENT, action_name: TOOL,
    source_url: "https://api.openai.com/v1/chat/completions",
    request_payload: { url: "https://api.openai.com/v1/chat/completions", method: "POST", json: { messages: [{ content: SCRIPT }] } },
    raw_response: { choices: [{ message: { content: IMG } }] }, created_at: "2026-11-20T10:00:01Z",
  },
  {
    type: "handoff", id: "xss-h", source: `src ${SCRIPT}`, agent_id: AGENT, created_at: "2026-11-20T10:00:05Z",
    payload: {
      run_id: `run ${SCRIPT}`, task: `task ${IMG}`, reasoning: `reasoning ${SCRIPT}`,
      trusted_endpoint_registry: [`https://api.example.com/x?${IMG}`], query_record_ids: ["xss-2"], handoff_contract_version: "2.0",
      claims: [{ action_name: TOOL, claimed_value: SCRIPT, request_payload: { url: "https://api.example.com/x" }, response_payload: { value: IMG },
        query_record_id: "xss-2", verification_mode: "field_extraction", json_path: "$.value" }],
    },
    evaluation: { outcome: "CAUGHT", per_claim: [{ detail: IMG }], errors: [SCRIPT] },
  },
  {
    type: "policy_decision", id: "xss-p", source: `src ${SCRIPT}`, created_at: "2026-11-20T10:00:02Z", agent_id: AGENT,
    context: {
      tool_call: { tool_name: TOOL, call_args: [SCRIPT], call_kwargs: { note: IMG } },
      grounding: { agent_id: AGENT, resolved_concepts: [SCRIPT] },
      triggering_edge: { source_name: `Agent ${IMG}`, target_name: `Target ${SCRIPT}`, source_depth: 1, target_depth: 2 },
      policy: { name: `policy ${IMG}`, requires_confirmation: false, callback: SCRIPT, confirmation_message: IMG, metadata: { m: SCRIPT } },
    },
    callback_result: { passed: false, message: `blocked ${SCRIPT}` },
    decision: { action: "BLOCK", reason: `reason ${IMG}`, confirmation: null },
  },
];

async function expectNoScriptRan(page: Page, path: string, violations: string[]) {
  const res = await page.goto(path);
  expect(res?.status(), path).toBeLessThan(400);
  const csp = res?.headers()["content-security-policy"] ?? "";
  expect(csp, path).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  await page.waitForLoadState("networkidle");
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss), path).toBeUndefined();
  // hydrated: Next's own scripts carried the nonce and ran
  expect(await page.evaluate(() => typeof (window as unknown as { next?: unknown }).next), path).toBe("object");
  expect(violations.filter((v) => !/onerror|window\.__xss/.test(v)), `${path}: ${violations.join("\n")}`).toEqual([]);
}

test("HTML and script in records are text on every page, and never run", async ({ page, request }) => {
  const ing = await request.post("/api/v1/ingest", { headers: { authorization: `Bearer ${KEY}` }, data: { records } });
  expect(ing.status()).toBe(200);

  const violations: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" && /Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
  });
  page.on("dialog", (d) => {
    throw new Error(`a dialog opened: ${d.message()}`);
  });

  const agentPath = `/agents/${encodeURIComponent(AGENT)}`;
  const timeline = await (await request.get(`/api/v1/agents/${encodeURIComponent(AGENT)}/timeline`, { headers: { authorization: `Bearer ${KEY}` } })).json();
  const events = (timeline.events ?? []) as { kind: string; id: string }[];
  const llm = events.find((e) => e.kind === "llm_call");
  const handoffs = await (await request.get(`/api/v1/handoffs?agent_id=${encodeURIComponent(AGENT)}`, { headers: { authorization: `Bearer ${KEY}` } })).json();
  const handoffId = (handoffs.handoffs ?? [])[0]?.id as string | undefined;
  const share = await request.post("/api/v1/shares", { headers: { authorization: `Bearer ${KEY}` }, data: { resource_type: "agent", resource_id: AGENT } });
  const shareUrl = share.ok() ? ((await share.json()).url as string) : null;

  const pages: [string, string | null][] = [
    ["/", null],
    ["/agents", AGENT],
    [agentPath, TOOL],
    ...(llm ? ([[`/intercepts/${llm.id}`, SCRIPT]] as [string, string][]) : []),
    ["/handoffs", null],
    ...(handoffId ? ([[`/handoffs/${handoffId}`, `task ${IMG}`]] as [string, string][]) : []),
    ["/policy", `policy ${IMG}`],
    ["/shares", null],
    ...(shareUrl ? ([[shareUrl, TOOL]] as [string, string][]) : []),
  ];
  expect(llm, "the timeline lists the leaked LLM call").toBeTruthy();
  expect(handoffId, "the handoff list has the handoff").toBeTruthy();
  expect(shareUrl, "a share link was made").toBeTruthy();
  for (const [path, text] of pages) {
    await expectNoScriptRan(page, path, violations);
    if (text) await expect(page.getByText(text, { exact: false }).filter({ visible: true }).first(), `${path} shows ${text} as text`).toBeVisible();
  }
});

test("API answers carry a policy that lets nothing run", async ({ request }) => {
  const res = await request.get("/api/health");
  expect(res.headers()["content-security-policy"]).toContain("default-src 'none'");
  expect(res.headers()["x-content-type-options"]).toBe("nosniff");
});
