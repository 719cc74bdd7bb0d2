"use client";
import { useState, useTransition } from "react";
import { deleteAlertRuleAction, sendTestAlertAction } from "@/app/alerts-actions";

/** Send test and Delete for one rule; the test's outcome is said next to the buttons. */
export function AlertRuleActions({ id, name }: { id: string; name: string }) {
  const [pending, start] = useTransition();
  const [said, setSaid] = useState<{ ok: boolean; text: string } | null>(null);
  const test = () => start(async () => {
    const r = await sendTestAlertAction(id);
    if (!r.ok) setSaid({ ok: false, text: r.message });
    else setSaid(r.delivery.status === "delivered"
      ? { ok: true, text: `Test delivered (${r.delivery.response_code})` }
      : { ok: false, text: `Test failed: ${r.delivery.error ?? r.delivery.response_code}` });
  });
  const remove = () => {
    if (!window.confirm(`Delete the rule "${name}" and its delivery log?`)) return;
    start(async () => {
      const r = await deleteAlertRuleAction(id);
      if (!r.ok) setSaid({ ok: false, text: r.message ?? "failed" });
    });
  };
  return (
    <span className="flex items-center justify-end gap-2">
      {said ? <span role="status" className={`text-xs ${said.ok ? "text-emerald-700" : "text-red-700"}`}>{said.text}</span> : null}
      <button type="button" disabled={pending} onClick={test} className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50 disabled:opacity-50">Send test</button>
      <button type="button" disabled={pending} onClick={remove} className="rounded border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50">Delete</button>
    </span>
  );
}
