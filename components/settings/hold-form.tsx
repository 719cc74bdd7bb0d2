"use client";
import { useState, useTransition } from "react";
import { placeHoldAction, releaseCaughtAction, type ActionResult } from "@/app/settings-actions";

const input = "rounded border border-slate-300 px-2 py-1 text-sm";

/** Places a legal hold on an agent, a source or one record. */
export function HoldForm() {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const [type, setType] = useState<"agent" | "source" | "record">("agent");
  function submit(form: HTMLFormElement) {
    const f = new FormData(form);
    const s = (k: string) => String(f.get(k) ?? "");
    const hold =
      type === "agent" ? { target_type: type, agent_id: s("target"), reason: s("reason") }
      : type === "source" ? { target_type: type, source: s("target"), reason: s("reason") }
      : { target_type: type, record_table: s("record_table"), record_id: s("target"), reason: s("reason") };
    start(async () => {
      const r = await placeHoldAction(hold);
      setResult(r);
      if (r.ok) form.reset();
    });
  }
  return (
    <form aria-label="New legal hold" className="flex flex-wrap items-end gap-2 text-sm" onSubmit={(e) => { e.preventDefault(); submit(e.currentTarget); }}>
      <label className="block">Hold<select name="target_type" className={`${input} ml-1`} value={type} onChange={(e) => setType(e.target.value as typeof type)}>
        <option value="agent">an agent</option><option value="source">a source</option><option value="record">one record</option>
      </select></label>
      {type === "record" ? (
        <select name="record_table" aria-label="Record type" className={input} defaultValue="handoffs">
          <option value="handoffs">handoff</option><option value="intercepts">intercept</option><option value="policy_decisions">policy decision</option>
        </select>
      ) : null}
      <input name="target" aria-label={type === "agent" ? "Agent id" : type === "source" ? "Source" : "Record id"} required className={input} placeholder={type === "agent" ? "agent id" : type === "source" ? "source" : "record id"} />
      <input name="reason" aria-label="Reason" required className={`${input} min-w-64`} placeholder="reason (e.g. litigation 2026-17)" />
      <button type="submit" disabled={pending} className="rounded bg-slate-900 px-3 py-1 text-white disabled:opacity-50">Place hold</button>
      {result ? <span role="status" className={result.ok ? "text-emerald-700" : "text-red-700"}>{result.ok ? "Held." : `${result.message} ${Object.values(result.fields).join("; ")}`}</span> : null}
    </form>
  );
}

/** Releases the automatic hold of a CAUGHT handoff (so retention may delete it and what it rests on). */
export function ReleaseCaughtForm() {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  function submit(form: HTMLFormElement) {
    const f = new FormData(form);
    start(async () => {
      const r = await releaseCaughtAction({ handoff_id: String(f.get("handoff_id") ?? ""), reason: String(f.get("reason") ?? "") });
      setResult(r);
      if (r.ok) form.reset();
    });
  }
  return (
    <form aria-label="Release a CAUGHT handoff" className="flex flex-wrap items-end gap-2 text-sm" onSubmit={(e) => { e.preventDefault(); submit(e.currentTarget); }}>
      <input name="handoff_id" aria-label="CAUGHT handoff id" required className={input} placeholder="handoff id" />
      <input name="reason" aria-label="Reason for release" required className={`${input} min-w-64`} placeholder="reason" />
      <button type="submit" disabled={pending} className="rounded border border-slate-300 px-3 py-1 hover:bg-slate-50 disabled:opacity-50">Release its hold</button>
      {result ? <span role="status" className={result.ok ? "text-emerald-700" : "text-red-700"}>{result.ok ? "Released." : result.message}</span> : null}
    </form>
  );
}
