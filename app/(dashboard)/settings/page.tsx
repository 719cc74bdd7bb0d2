import { requireDashboardAccess } from "@/lib/http/dashboard-session";
import { currentRetention, deletionLog, holdsList } from "@/lib/retention/holds";
import { RetentionForm } from "@/components/settings/retention-form";
import { HoldForm, ReleaseCaughtForm } from "@/components/settings/hold-form";
import { HoldList } from "@/components/settings/hold-list";
import { DeletionLog } from "@/components/settings/deletion-log";

export const dynamic = "force-dynamic";
export const metadata = { title: "Settings" };

export default async function SettingsPage() {
  await requireDashboardAccess(); // here, where the data is read: an RSC request skips the layout
  const [policy, holds, deletions] = await Promise.all([currentRetention(), holdsList(true), deletionLog(50)]);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="text-sm text-slate-600">How long records are kept, what is on legal hold, and every deletion. See docs/retention.md.</p>
      </div>
      <RetentionForm policy={policy} />
      <section aria-label="Legal holds" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">Legal holds</h2>
        <p className="text-sm text-slate-600">
          Held records are never deleted, by retention or by <code>npx verdict delete</code>, until released. Every CAUGHT handoff is held automatically, with the intercepts its analysis reads and the policy decisions on those tool calls.
        </p>
        <HoldForm />
        <HoldList holds={holds} />
        <h3 className="pt-2 text-sm font-semibold">Release a CAUGHT handoff</h3>
        <ReleaseCaughtForm />
      </section>
      <section aria-label="Deletion log" className="space-y-2 rounded-lg border border-slate-200 bg-white p-4">
        <h2 className="font-semibold">Deletion log</h2>
        <DeletionLog deletions={deletions} />
      </section>
    </div>
  );
}
