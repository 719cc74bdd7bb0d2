import { describe, expect, it } from "vitest";
import { slackBody, webhookBody } from "./message";
import { signatureOf } from "./signature";
import { createHmac } from "node:crypto";
import { destinationProblem, displayUrl } from "./destination";

const msg = {
  id: "dlv_1", agentId: "a<b>", count: 3, counts: { leak: 2, caught: 1 },
  items: [
    { id: "int_1", kind: "leak" as const, path: "/intercepts/int_1", ts: 2 },
    { id: "hof_1", kind: "caught" as const, path: "/handoffs/hof_1", ts: 1, category: "agent" },
  ],
};

describe("alert messages", () => {
  it("webhook body: mixed kinds, absolute links, no internal fields", () => {
    const b = webhookBody({ id: "alr_1", name: "r" }, msg, "https://v.example");
    expect(b).toMatchObject({ event: "mixed", delivery_id: "dlv_1", agent_id: "a<b>", count: 3, counts: { leak: 2, caught: 1 }, agent_url: "https://v.example/agents/a%3Cb%3E" });
    expect(b.items[0]).toEqual({ id: "int_1", kind: "leak", url: "https://v.example/intercepts/int_1" });
    expect(webhookBody({ id: "alr_1", name: "r" }, { ...msg, counts: { leak: 3 } }).event).toBe("leak");
  });
  it("slack body: text with links back, record names escaped", () => {
    const { text } = slackBody(webhookBody({ id: "alr_1", name: "<!channel>" }, msg, "https://v.example"));
    expect(text).toContain("2 tag leaks, 1 CAUGHT handoff for agent a&lt;b&gt;");
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).toContain("<https://v.example/intercepts/int_1|int_1>");
    expect(text).toContain("<https://v.example/agents/a%3Cb%3E|Open in Verdict>");
  });
  it("signature: v1= hex HMAC-SHA256 over timestamp.body", () => {
    expect(signatureOf("s", 1700000000, "{}")).toBe("v1=" + createHmac("sha256", "s").update("1700000000.{}").digest("hex"));
  });
  it("destinations: https, or http to loopback only when allowed", () => {
    expect(destinationProblem("https://hooks.example.com/x", {})).toBeNull();
    expect(destinationProblem("http://127.0.0.1:9/x", {})).toMatch(/VERDICT_WEBHOOKS_ALLOW_HTTP/);
    expect(destinationProblem("http://127.0.0.1:9/x", { VERDICT_WEBHOOKS_ALLOW_HTTP: "1" })).toBeNull();
    expect(destinationProblem("http://[::1]:9/x", { VERDICT_WEBHOOKS_ALLOW_HTTP: "1" })).toBeNull();
    expect(destinationProblem("http://10.0.0.1/x", { VERDICT_WEBHOOKS_ALLOW_HTTP: "1" })).toMatch(/loopback/);
    expect(destinationProblem("http://127.0.0.1.evil.example/x", { VERDICT_WEBHOOKS_ALLOW_HTTP: "1" })).toMatch(/loopback/);
    expect(destinationProblem("ftp://x/y", {})).toMatch(/https/);
    expect(destinationProblem("https://u:p@x.example/", {})).toMatch(/user name/);
    expect(destinationProblem("not a url", {})).toMatch(/absolute/);
  });
  it("reads show destinations without their credentials", () => {
    expect(displayUrl("https://hooks.slack.com/services/T0/B0/SECRET", "slack")).toBe("https://hooks.slack.com/services/…");
    expect(displayUrl("https://h.example/hook?token=abc", "webhook")).toBe("https://h.example/hook?…");
  });
});
