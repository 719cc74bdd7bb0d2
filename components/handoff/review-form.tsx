"use client";
// Mark one or several CAUGHT handoffs (or a leak): confirmed fault, false alarm or fixed, with
// an optional note. Appends to each record's history through the dashboard's server action.
import { useState } from "react";
import { markReviewedAction } from "@/app/reviews-actions";
import { REVIEW_STATES, REVIEW_STATE_LABELS, type ReviewState, type ReviewSubject } from "@/lib/records/review";

export function ReviewForm({ subjectType = "handoff", ids, onDone, compact = false }: { subjectType?: ReviewSubject; ids: string[]; onDone: () => void; compact?: boolean }) {
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  async function mark(state: ReviewState) {
    setBusy(true);
    setMessage(null);
    const r = await markReviewedAction({ subject_type: subjectType, ids, state, note: note || undefined }).catch(() => ({ ok: false as const, message: "The review could not be saved." }));
    setBusy(false);
    if (!r.ok) return setMessage({ ok: false, text: r.message });
    setNote("");
    setMessage({ ok: true, text: `Marked ${ids.length === 1 ? "" : `${ids.length} `}${REVIEW_STATE_LABELS[state]}.` });
    onDone();
  }
  return (
    <div className={`flex flex-wrap items-center gap-2 text-sm ${compact ? "" : "rounded border border-slate-200 bg-white p-3"}`} data-testid="review-form">
      <label className="flex min-w-48 flex-1 items-center gap-2">
        <span className="text-xs text-slate-500">Note</span>
        <input className="w-full rounded border border-slate-300 px-2 py-1" value={note} maxLength={4000} placeholder="why (optional)" onChange={(e) => setNote(e.target.value)} name="review-note" />
      </label>
      {REVIEW_STATES.map((s) => (
        <button key={s} type="button" disabled={busy || ids.length === 0} onClick={() => mark(s)} className="rounded border border-slate-300 bg-white px-2 py-1 hover:bg-slate-50 disabled:opacity-50">
          Mark {REVIEW_STATE_LABELS[s]}
        </button>
      ))}
      {message ? <span role="status" className={`text-xs ${message.ok ? "text-emerald-700" : "text-red-700"}`}>{message.text}</span> : null}
    </div>
  );
}
