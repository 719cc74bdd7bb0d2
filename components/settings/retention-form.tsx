"use client";
import { useState, useTransition } from "react";
import { saveRetentionAction, type ActionResult } from "@/app/settings-actions";
import type { RetentionPolicy } from "@/lib/retention/service";

const input = "rounded border border-slate-300 px-2 py-1 text-sm";
type Row = { source: string; days: string };

/** "" keeps forever; anything else must be whole days. */
const toDays = (s: string): number | null | string => (s.trim() === "" ? null : /^\d+$/.test(s.trim()) ? Number(s.trim()) : s);

/** The default age and the ages per source; empty means keep forever. */
export function RetentionForm({ policy }: { policy: RetentionPolicy }) {
  const [pending, start] = useTransition();
  const [result, setResult] = useState<ActionResult | null>(null);
  const [def, setDef] = useState(policy.stored_default_days === null ? "" : String(policy.stored_default_days));
  const [rows, setRows] = useState<Row[]>(Object.entries(policy.sources).map(([source, d]) => ({ source, days: d === null ? "" : String(d) })));
  const save = () => start(async () => {
    const sources = Object.fromEntries(rows.filter((r) => r.source.trim()).map((r) => [r.source.trim(), toDays(r.days)]));
    setResult(await saveRetentionAction({ default_days: toDays(def), sources }));
  });
  const field = (path: string) => (result && !result.ok ? Object.entries(result.fields).find(([p]) => p === path || p.startsWith(`${path}.`))?.[1] : undefined);
  const envSet = policy.default_from === "env";
  return (
    <form aria-label="Retention" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" onSubmit={(e) => { e.preventDefault(); save(); }}>
      <h2 className="font-semibold">Retention</h2>
      <p className="text-sm text-slate-600">
        Records older than their age are deleted by the retention job (every {Math.round(policy.interval_seconds / 60)} min), except those on legal hold; each leaves a tombstone and the deletion is logged. Empty keeps forever.
      </p>
      <label className="block text-sm">
        Default age (days)
        <input name="default_days" inputMode="numeric" className={`${input} ml-2 w-28`} value={envSet ? String(policy.default_days ?? "") : def} disabled={envSet} onChange={(e) => setDef(e.target.value)} placeholder="forever" />
        {envSet ? <span className="ml-2 text-xs text-slate-500">set by VERDICT_RETENTION_DAYS</span> : null}
        {field("default_days") ? <span className="ml-2 text-xs text-red-700">{field("default_days")}</span> : null}
      </label>
      <table className="text-sm">
        <thead><tr className="text-left text-xs text-slate-500"><th className="pr-2">Source</th><th className="pr-2">Age (days)</th><th /></tr></thead>
        <tbody>
          {rows.map((r, i) => (
            <tr key={i}>
              <td className="pr-2"><input aria-label="Source" className={input} value={r.source} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, source: e.target.value } : x)))} placeholder="sourcerykit" /></td>
              <td className="pr-2"><input aria-label={`Age of ${r.source || "source"} (days)`} inputMode="numeric" className={`${input} w-28`} value={r.days} onChange={(e) => setRows(rows.map((x, j) => (j === i ? { ...x, days: e.target.value } : x)))} placeholder="forever" />
                {field(`sources.${r.source.trim()}`) ? <span className="ml-2 text-xs text-red-700">{field(`sources.${r.source.trim()}`)}</span> : null}</td>
              <td><button type="button" className="text-xs text-slate-600 hover:underline" onClick={() => setRows(rows.filter((_, j) => j !== i))}>Remove</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="flex items-center gap-3">
        <button type="button" className="rounded border border-slate-300 px-2 py-1 text-xs hover:bg-slate-50" onClick={() => setRows([...rows, { source: "", days: "" }])}>Add a source</button>
        <button type="submit" disabled={pending} className="rounded bg-slate-900 px-3 py-1 text-sm text-white disabled:opacity-50">Save retention</button>
        {result ? <span role="status" className={`text-sm ${result.ok ? "text-emerald-700" : "text-red-700"}`}>{result.ok ? "Saved." : result.message}</span> : null}
      </div>
    </form>
  );
}
