import Link from "next/link";
import { listShareViews } from "@/lib/shares/service";
import { requireDashboardAccess } from "@/lib/http/dashboard-session";
import { RevokeButton } from "@/components/share/revoke-button";
import type { ShareView } from "@/lib/api-contract/shares";
import { dashboardLinks } from "@/lib/records/record-links";

export const dynamic = "force-dynamic";
export const metadata = { title: "Shares" };

const STATUS_STYLE: Record<ShareView["status"], string> = {
  active: "bg-emerald-100 text-emerald-800",
  expired: "bg-slate-200 text-slate-700",
  revoked: "bg-red-100 text-red-800",
};

function resourceHref(s: ShareView): string {
  const id = s.resource_id;
  return s.resource_type === "agent" ? dashboardLinks.agent(id) : s.resource_type === "handoff" ? dashboardLinks.handoff(id) : dashboardLinks.intercept(id);
}

export default async function SharesPage() {
  await requireDashboardAccess();
  const shares = await listShareViews();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Shares</h1>
        <p className="text-sm text-slate-600">Read-only links to an agent timeline, a handoff or an intercept. Create them with the Share button on those pages; a link stops working when it expires or is revoked.</p>
      </div>
      {shares.length === 0 ? (
        <p className="rounded border border-dashed border-slate-300 bg-white p-6 text-slate-600">No share links yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full overflow-hidden rounded-lg border border-slate-200 bg-white text-sm">
            <thead className="bg-slate-100 text-left text-slate-600">
              <tr><th className="p-2">Resource</th><th className="p-2">Created</th><th className="p-2">Expires</th><th className="p-2">Views</th><th className="p-2">Status</th><th className="p-2"></th></tr>
            </thead>
            <tbody>
              {shares.map((s) => (
                <tr key={s.id} className="border-t border-slate-100" data-testid="share-row">
                  <td className="p-2">
                    <span className="mr-1 text-slate-500">{s.resource_type}</span>
                    <Link href={resourceHref(s)} className="font-mono text-blue-700 hover:underline">{s.resource_id}</Link>
                    {s.redact_payloads ? <span className="ml-2 rounded bg-slate-100 px-1.5 text-xs">bodies redacted</span> : null}
                  </td>
                  <td className="p-2" title={s.created_at}>{s.created_at.slice(0, 16).replace("T", " ")} UTC</td>
                  <td className="p-2" title={s.expires_at}>{s.expires_at.slice(0, 16).replace("T", " ")} UTC</td>
                  <td className="p-2 tabular-nums" title={s.last_viewed_at ? `last viewed ${s.last_viewed_at}` : "never viewed"}>{s.view_count}</td>
                  <td className="p-2"><span className={`rounded px-2 py-0.5 text-xs font-medium ${STATUS_STYLE[s.status]}`}>{s.status}</span></td>
                  <td className="p-2 text-right">{s.status === "active" ? <RevokeButton id={s.id} /> : null}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
