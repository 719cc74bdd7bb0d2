"use client";
import { useState, useTransition } from "react";
import { revokeShareAction } from "@/app/shares-actions";

export function RevokeButton({ id }: { id: string }) {
  const [pending, start] = useTransition();
  const [error, setError] = useState<string | null>(null);
  return (
    <span>
      <button type="button" disabled={pending} className="rounded border border-red-300 px-2 py-1 text-xs text-red-700 hover:bg-red-50 disabled:opacity-50"
        onClick={() => start(async () => { const r = await revokeShareAction(id); setError(r.ok ? null : r.message ?? "failed"); })}>
        {pending ? "Revoking…" : "Revoke"}
      </button>
      {error ? <span role="alert" className="ml-2 text-xs text-red-700">{error}</span> : null}
    </span>
  );
}
