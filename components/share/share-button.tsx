"use client";
// "Share": choose expiry and redaction, create a read-only link, copy it.
import { useState } from "react";
import { createShareAction } from "@/app/shares-actions";
import type { ShareResourceType } from "@/lib/api-contract/shares";

const EXPIRY_CHOICES = [
  { label: "1 hour", seconds: 3600 },
  { label: "1 day", seconds: 86_400 },
  { label: "7 days", seconds: 7 * 86_400 },
  { label: "30 days", seconds: 30 * 86_400 },
];

export function ShareButton({ resourceType, resourceId }: { resourceType: ShareResourceType; resourceId: string }) {
  const [open, setOpen] = useState(false);
  const [seconds, setSeconds] = useState(7 * 86_400);
  const [redact, setRedact] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ url: string; expires_at: string } | { error: string } | null>(null);
  const [copied, setCopied] = useState(false);

  async function create() {
    setBusy(true);
    const r = await createShareAction({ resource_type: resourceType, resource_id: resourceId, expires_in_seconds: seconds, redact_payloads: redact });
    setBusy(false);
    setResult(r.ok ? { url: new URL(r.url, window.location.origin).toString(), expires_at: r.expires_at } : { error: r.message });
  }

  return (
    <div className="relative inline-block text-left">
      <button type="button" onClick={() => { setOpen(!open); setResult(null); setCopied(false); }} className="rounded border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50" aria-expanded={open}>
        Share
      </button>
      {open ? (
        <div role="dialog" aria-label="Share a read-only link" className="absolute right-0 z-20 mt-2 w-[min(24rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white p-4 text-sm shadow-lg">
          <p className="mb-3 text-slate-600">Anyone with the link can view this {resourceType}, read-only, until it expires or you revoke it.</p>
          <label className="mb-2 block">
            <span className="mr-2">Expires after</span>
            <select value={seconds} onChange={(e) => setSeconds(Number(e.target.value))} className="rounded border border-slate-300 px-2 py-1">
              {EXPIRY_CHOICES.map((c) => <option key={c.seconds} value={c.seconds}>{c.label}</option>)}
            </select>
          </label>
          <label className="mb-3 flex items-center gap-2">
            <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} />
            Redact request and response bodies (show hashes and sizes)
          </label>
          <button type="button" disabled={busy} onClick={create} className="rounded bg-slate-900 px-3 py-1.5 font-medium text-white disabled:opacity-50">
            {busy ? "Creating…" : "Create link"}
          </button>
          {result && "error" in result ? <p role="alert" className="mt-3 text-red-700">{result.error}</p> : null}
          {result && "url" in result ? (
            <div className="mt-3 space-y-2">
              <input readOnly value={result.url} aria-label="Share link" className="w-full rounded border border-slate-300 px-2 py-1 font-mono text-xs" onFocus={(e) => e.target.select()} />
              <div className="flex items-center justify-between">
                <span className="text-xs text-slate-500">Expires {new Date(result.expires_at).toUTCString()}</span>
                <button type="button" className="rounded border border-slate-300 px-2 py-1" onClick={async () => { await navigator.clipboard?.writeText(result.url).catch(() => {}); setCopied(true); }}>
                  {copied ? "Copied" : "Copy link"}
                </button>
              </div>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
