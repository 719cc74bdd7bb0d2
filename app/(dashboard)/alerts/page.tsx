import { requireDashboardAccess } from "@/lib/http/dashboard-session";
import { listAlertRuleViews, ruleDeliveries } from "@/lib/alerts/service";
import { AlertRuleForm } from "@/components/alerts/rule-form";
import { AlertRuleActions } from "@/components/alerts/rule-actions";
import { AlertRuleStatusBadge } from "@/components/alerts/rule-status-badge";
import { DeliveryLog } from "@/components/alerts/delivery-log";

export const dynamic = "force-dynamic";
export const metadata = { title: "Alerts" };

export default async function AlertsPage() {
  await requireDashboardAccess(); // here, where the data is read: an RSC request skips the layout
  const rules = await listAlertRuleViews();
  const logs = await Promise.all(rules.map((r) => ruleDeliveries(r.id).then((d) => d.slice(0, 20)).catch(() => [])));
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Alerts</h1>
        <p className="text-sm text-slate-600">
          Tell people when ingest finds a tag leak, a CAUGHT verdict, a blocked tool call or a disagreement with the evaluator: a signed webhook or a Slack message, at most one per rule and agent per minute. See docs/alerts.md.
        </p>
      </div>
      <AlertRuleForm />
      {rules.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No alert rules yet.</p>
      ) : (
        <ul className="space-y-3">
          {rules.map((r, i) => (
            <li key={r.id} data-testid="alert-rule" className={`rounded-lg border bg-white p-3 ${r.status === "failing" ? "border-red-300" : "border-slate-200"}`}>
              <div className="flex flex-wrap items-center gap-3">
                <span className="font-medium">{r.name}</span>
                <AlertRuleStatusBadge rule={r} />
                <span className="text-xs text-slate-600">{r.events.join(", ")}{r.category ? ` (${r.category})` : ""}{r.agent_id ? ` · agent ${r.agent_id}` : ""}{r.source ? ` · source ${r.source}` : ""}</span>
                <span className="font-mono text-xs text-slate-500">{r.destination.type} → {r.destination.url}</span>
                {r.pending_messages ? <span className="text-xs text-slate-500">{r.pending_messages} waiting</span> : null}
                <span className="ml-auto"><AlertRuleActions id={r.id} name={r.name} /></span>
              </div>
              <details className="mt-2" open={i === 0 || r.status === "failing"}>
                <summary className="cursor-pointer text-xs text-slate-600">Delivery log</summary>
                <DeliveryLog deliveries={logs[i]} />
              </details>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
