import type { AlertRuleView } from "@/lib/api-contract/alerts";

const STYLE: Record<AlertRuleView["status"], string> = {
  ok: "bg-emerald-100 text-emerald-800",
  failing: "bg-red-100 text-red-800",
  untested: "bg-slate-200 text-slate-700",
};

export function AlertRuleStatusBadge({ rule }: { rule: AlertRuleView }) {
  const title = rule.status === "failing" ? `${rule.consecutive_failures} attempts in a row failed` : rule.last_attempt_at ? `last attempt ${rule.last_attempt_at}` : "nothing sent yet";
  return <span title={title} className={`rounded px-2 py-0.5 text-xs font-medium ${STYLE[rule.status]}`}>{rule.status}</span>;
}
