import type { DeliveryView } from "@/lib/api-contract/alerts";

/** A rule's latest delivery attempts, newest first. */
export function DeliveryLog({ deliveries }: { deliveries: DeliveryView[] }) {
  if (deliveries.length === 0) return <p className="p-2 text-xs text-slate-500">No delivery attempts yet.</p>;
  return (
    <div className="overflow-x-auto">
      <table className="w-full text-xs" aria-label="Delivery log">
        <thead className="text-left text-slate-500">
          <tr><th className="p-1">Time (UTC)</th><th className="p-1">Delivery id</th><th className="p-1">Attempt</th><th className="p-1">Status</th><th className="p-1">Response</th><th className="p-1">Error</th></tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} className="border-t border-slate-100" data-testid="delivery-row">
              <td className="p-1" title={d.at}>{d.at.slice(0, 19).replace("T", " ")}</td>
              <td className="p-1 font-mono">{d.delivery_id}</td>
              <td className="p-1 tabular-nums">{d.attempt}</td>
              <td className={`p-1 ${d.status === "delivered" ? "text-emerald-700" : "text-red-700"}`}>{d.status}</td>
              <td className="p-1 tabular-nums">{d.response_code ?? "—"}</td>
              <td className="p-1">{d.error ?? ""}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
