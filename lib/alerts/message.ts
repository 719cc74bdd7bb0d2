// What a destination receives: the webhook's JSON body, or a Slack incoming-webhook {"text"}.
import type { AlertItem, AlertRuleRow } from "../db/queries/alerts";
import { setting } from "../config/server-env";

/** Links in messages point here: VERDICT_PUBLIC_URL, else this server on localhost. */
export function publicBaseUrl(env: Record<string, string | undefined> = process.env): string {
  const configured = setting("VERDICT_PUBLIC_URL", env);
  return (configured || `http://localhost:${env.PORT || 3000}`).replace(/\/+$/, "");
}

export interface AlertMessage {
  /** the Verdict-Delivery id */
  id: string;
  agentId: string;
  count: number;
  counts: Record<string, number>;
  items: AlertItem[];
}

export interface WebhookBody {
  /** leak | caught | block | disagreement, "mixed" when the message holds several kinds, "test" for a test send */
  event: string;
  delivery_id: string;
  rule: { id: string; name: string };
  agent_id: string;
  count: number;
  counts: Record<string, number>;
  /** the newest examples (up to 10), newest first, each with a link to its Verdict page */
  items: ({ id: string; url: string } & Record<string, unknown>)[];
  agent_url: string;
}

export function webhookBody(rule: Pick<AlertRuleRow, "id" | "name">, m: AlertMessage, base = publicBaseUrl()): WebhookBody {
  const kinds = Object.keys(m.counts).filter((k) => m.counts[k] > 0);
  return {
    event: kinds.length === 1 ? kinds[0] : "mixed",
    delivery_id: m.id,
    rule: { id: rule.id, name: rule.name },
    agent_id: m.agentId,
    count: m.count,
    counts: m.counts,
    items: m.items.map(({ path, ts: _ts, ...rest }) => ({ ...rest, id: rest.id, url: `${base}${path}` })),
    agent_url: `${base}/agents/${encodeURIComponent(m.agentId)}`,
  };
}

const NOUN: Record<string, [string, string]> = {
  leak: ["tag leak", "tag leaks"],
  caught: ["CAUGHT handoff", "CAUGHT handoffs"],
  block: ["blocked tool call", "blocked tool calls"],
  disagreement: ["evaluator disagreement", "evaluator disagreements"],
  test: ["test message", "test messages"],
};

/** Slack's mrkdwn gives &, < and > meaning (links, mentions): names from records are escaped. */
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Slack (and compatible) incoming webhooks: mrkdwn text with links back to Verdict. */
export function slackBody(b: WebhookBody): { text: string } {
  const what = Object.entries(b.counts).map(([k, n]) => `${n} ${(NOUN[k] ?? [k, k])[n === 1 ? 0 : 1]}`).join(", ");
  const lines = b.items.slice(0, 5).map((i) => `• <${i.url}|${esc(i.id)}>${i.category ? ` (${i.category})` : ""}`);
  const text = [`*Verdict*: ${what} for agent ${esc(b.agent_id)} (rule “${esc(b.rule.name)}”)`, ...lines, `<${b.agent_url}|Open in Verdict>`].join("\n");
  return { text };
}
