// Creating, listing, deleting and testing alert rules, and their delivery log. The API routes
// and the Alerts page's server actions both go through these.
import { getDb } from "../db/client";
import {
  alertId, deleteAlertRule, TX_OPTIONS, getAlertRule, insertAlertRule, listAlertRules, listDeliveries, logAttempt, pendingMessageCounts,
  type AlertRuleRow, type DeliveryRow,
} from "../db/queries/alerts";
import { ApiError, notFound, zodDetails } from "../http/errors";
import { createAlertRuleSchema, type AlertRuleView, type CreateAlertRuleInput, type DeliveryView } from "../api-contract/alerts";
import type { CauseCategory } from "../analysis/cause-category";
import { displayUrl } from "./destination";
import { newSigningSecret } from "./signature";
import { publicBaseUrl, webhookBody } from "./message";
import { sendToDestination } from "./send";
import { newId } from "../records/ids";
import type { Tx } from "../db/client";

/** A rule is shown as failing once this many attempts in a row failed. */
export const FAILING_AFTER = 3;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function view(r: AlertRuleRow, pending = 0): AlertRuleView {
  return {
    id: r.id,
    name: r.name,
    events: r.events,
    category: r.category as CauseCategory | null,
    agent_id: r.agentId,
    source: r.source,
    destination: { type: r.destinationType, url: displayUrl(r.destinationUrl, r.destinationType) },
    created_at: new Date(r.createdAt).toISOString(),
    status: r.consecutiveFailures >= FAILING_AFTER ? "failing" : r.lastAttemptAt === null ? "untested" : "ok",
    consecutive_failures: r.consecutiveFailures,
    last_attempt_at: iso(r.lastAttemptAt),
    last_response_code: r.lastResponseCode,
    pending_messages: pending,
  };
}

const deliveryView = (d: DeliveryRow): DeliveryView => ({
  id: d.id, delivery_id: d.messageId, attempt: d.attempt, status: d.status, response_code: d.responseCode, error: d.error, at: new Date(d.at).toISOString(),
});

export async function createAlertRule(input: CreateAlertRuleInput): Promise<AlertRuleView & { secret: string }> {
  const parsed = createAlertRuleSchema.safeParse(input);
  if (!parsed.success) throw new ApiError(400, "invalid_request", "Some fields are not valid.", zodDetails(parsed.error));
  const r = parsed.data;
  const h = getDb();
  const row: AlertRuleRow = {
    id: alertId("alr"), name: r.name, events: r.events, category: r.category ?? null, agentId: r.agent_id ?? null, source: r.source ?? null,
    destinationType: r.destination.type, destinationUrl: r.destination.url, secret: newSigningSecret(), createdAt: Date.now(),
    consecutiveFailures: 0, lastAttemptAt: null, lastStatus: null, lastResponseCode: null,
  };
  await insertAlertRule(h, row);
  return { ...view(row), secret: row.secret };
}

export async function listAlertRuleViews(): Promise<AlertRuleView[]> {
  const h = getDb();
  const [rules, pending] = await Promise.all([listAlertRules(h), pendingMessageCounts(h)]);
  return rules.map((r) => view(r, pending.get(r.id) ?? 0));
}

/** Rules whose deliveries keep failing (for the overview). */
export async function failingAlertRules(): Promise<AlertRuleView[]> {
  return (await listAlertRuleViews()).filter((r) => r.status === "failing");
}

async function ruleOrThrow(id: string): Promise<AlertRuleRow> {
  const h = getDb();
  const rule = await getAlertRule(h, id);
  if (!rule) throw notFound(`The alert rule "${id}"`);
  return rule;
}

export async function removeAlertRule(id: string): Promise<void> {
  const h = getDb();
  if (!(await deleteAlertRule(h, id))) throw notFound(`The alert rule "${id}"`);
}

export async function ruleDeliveries(id: string): Promise<DeliveryView[]> {
  await ruleOrThrow(id);
  const h = getDb();
  return (await listDeliveries(h, id)).map(deliveryView);
}

/** Sends a test message now (one attempt, no retry) and logs it like any delivery. */
export async function sendTestAlert(id: string): Promise<DeliveryView> {
  const rule = await ruleOrThrow(id);
  const messageId = newId("dlv");
  const base = publicBaseUrl();
  const body = webhookBody(rule, {
    id: messageId, agentId: rule.agentId ?? "test-agent", count: 1, counts: { test: 1 },
    items: [{ id: "test", kind: "test", path: "/alerts", ts: Date.now() * 1000, note: "A test message from Verdict: this rule's destination works." }],
  }, base);
  const result = await sendToDestination(rule, body);
  const h = getDb();
  const at = Date.now();
  await h.db.$transaction((tx: Tx) => logAttempt({ db: tx, dialect: h.dialect }, rule.id, messageId, 1, result, at), TX_OPTIONS);
  return { id: messageId, delivery_id: messageId, attempt: 1, status: result.ok ? "delivered" : "failed", response_code: result.responseCode, error: result.error, at: new Date(at).toISOString() };
}
