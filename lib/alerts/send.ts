// One attempt to deliver one message to a rule's destination. Never throws: the outcome is
// logged as an attempt (status, response code, a short error), never with the secret.
import type { AlertRuleRow, AttemptResult } from "../db/queries/alerts";
import { destinationProblem } from "./destination";
import { slackBody, type WebhookBody } from "./message";
import { signatureOf } from "./signature";
import { setting } from "../config/server-env";

const timeoutMs = () => setting("VERDICT_ALERTS_TIMEOUT_MS");

export async function sendToDestination(rule: AlertRuleRow, body: WebhookBody): Promise<AttemptResult> {
  // Checked again at send time: the operator may have withdrawn VERDICT_WEBHOOKS_ALLOW_HTTP.
  const problem = destinationProblem(rule.destinationUrl);
  if (problem) return { ok: false, responseCode: null, error: `destination refused: ${problem}` };
  const text = JSON.stringify(rule.destinationType === "slack" ? slackBody(body) : body);
  const timestamp = Math.floor(Date.now() / 1000);
  const headers: Record<string, string> = { "content-type": "application/json", "user-agent": "Verdict-Alerts/1", "verdict-delivery": body.delivery_id };
  if (rule.destinationType === "webhook") {
    headers["verdict-timestamp"] = String(timestamp);
    headers["verdict-signature"] = signatureOf(rule.secret, timestamp, text);
  }
  try {
    // No redirects: a 3xx is an answer, not a new destination (it could point anywhere).
    const res = await fetch(rule.destinationUrl, { method: "POST", headers, body: text, redirect: "manual", signal: AbortSignal.timeout(timeoutMs()) });
    await res.body?.cancel().catch(() => {});
    return res.ok ? { ok: true, responseCode: res.status, error: null } : { ok: false, responseCode: res.status, error: `the destination answered ${res.status}` };
  } catch (e) {
    const err = e as Error & { cause?: { code?: string } };
    const why = err.name === "TimeoutError" ? `no answer within ${timeoutMs()} ms` : (err.cause?.code ?? err.message);
    return { ok: false, responseCode: null, error: String(why).slice(0, 200) };
  }
}
