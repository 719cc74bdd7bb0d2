"use client";
import { useState, useTransition } from "react";
import { releaseHoldAction } from "@/app/settings-actions";
import type { LegalHold } from "@/lib/api-contract/retention";

const TABLE_NAMES = { intercepts: "intercept", policy_decisions: "policy decision", handoffs: "handoff" } as const;

export function holdTarget(h: LegalHold): string {
  if (h.target_type === "agent") return `agent ${h.agent_id}`;
  if (h.target_type === "source") return `source ${h.source}`;
  return `${h.record_table ? TABLE_NAMES[h.record_table] : "record"} ${h.record_id}`;
}

/** Legal holds with their history; an active one can be released (asks why). */
export function HoldList({ holds }: { holds: LegalHold[] }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const release = (h: LegalHold) => {
    const reason = window.prompt(`Release the hold on ${holdTarget(h)}? Why:`);
    if (!reason) return;
    start(async () => {
      const r = await releaseHoldAction(h.id, { reason });
      setError(r.ok ? null : r.message);
    });
  };
  if (holds.length === 0) return <p className="text-sm text-slate-600">No explicit holds. CAUGHT handoffs are held automatically.</p>;
  return (
    <div>
      {error ? <p role="alert" className="text-sm text-red-700">{error}</p> : null}
      <table className="w-full text-sm">
        <thead><tr className="text-left text-xs text-slate-500"><th>Held</th><th>Reason</th><th>By</th><th>Since</th><th>Released</th><th /></tr></thead>
        <tbody>
          {holds.map((h) => (
            <tr key={h.id} data-testid="legal-hold" className="border-t border-slate-100 align-top">
              <td className="py-1 pr-2 font-mono text-xs">{holdTarget(h)}{h.automatic ? <span className="ml-1 font-sans text-slate-500">(CAUGHT, automatic)</span> : null}</td>
              <td className="pr-2">{h.reason}</td>
              <td className="pr-2">{h.created_by}</td>
              <td className="pr-2 text-xs">{h.created_at.slice(0, 16).replace("T", " ")}</td>
              <td className="pr-2 text-xs">{h.released_at ? `${h.released_at.slice(0, 16).replace("T", " ")} by ${h.released_by}: ${h.release_reason}` : "—"}</td>
              <td>{h.released_at ? null : <button type="button" disabled={pending} onClick={() => release(h)} className="rounded border border-slate-300 px-2 py-0.5 text-xs hover:bg-slate-50 disabled:opacity-50">Release</button>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
