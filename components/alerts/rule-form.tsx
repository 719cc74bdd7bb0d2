"use client";
import { useState, useTransition } from "react";
import { createAlertRuleAction } from "@/app/alerts-actions";
import { CopyButton } from "@/components/ui/copy-button";

const EVENTS = [
  { value: "leak", label: "Tag leak" },
  { value: "caught", label: "CAUGHT verdict" },
  { value: "block", label: "Blocked tool call" },
  { value: "disagreement", label: "Evaluator disagrees with Verdict" },
] as const;

const input = "w-full rounded border border-slate-300 px-2 py-1 text-sm";

/** The form that creates an alert rule; shows the signing secret once, after creation. */
export function AlertRuleForm() {
  const [pending, start] = useTransition();
  const [error, setError] = useState<{ message: string; fields: Record<string, string> } | null>(null);
  const [secret, setSecret] = useState<string | null>(null);

  function submit(form: HTMLFormElement) {
    const f = new FormData(form);
    const opt = (k: string) => (String(f.get(k) ?? "").trim() || undefined);
    const input = {
      name: String(f.get("name") ?? ""),
      events: f.getAll("events").map(String) as ("leak" | "caught" | "block" | "disagreement")[],
      category: opt("category") as "agent" | "instrumentation" | "configuration" | undefined,
      agent_id: opt("agent_id"),
      source: opt("source"),
      destination: { type: String(f.get("type")) as "webhook" | "slack", url: String(f.get("url") ?? "").trim() },
    };
    start(async () => {
      const r = await createAlertRuleAction(input);
      if (r.ok) {
        setError(null);
        setSecret(r.secret);
        form.reset();
      } else setError({ message: r.message, fields: r.fields });
    });
  }
  const fieldError = (path: string) => {
    const m = error && Object.entries(error.fields).find(([p]) => p === path || p.startsWith(`${path}.`));
    return m ? <p className="text-xs text-red-700">{m[1]}</p> : null;
  };

  return (
    <form aria-label="New alert rule" className="space-y-3 rounded-lg border border-slate-200 bg-white p-4" onSubmit={(e) => { e.preventDefault(); submit(e.currentTarget); }}>
      <h2 className="font-semibold">New rule</h2>
      <div className="grid gap-3 md:grid-cols-2">
        <label className="block text-sm">Name<input name="name" required maxLength={200} className={input} placeholder="Leaks in production" />{fieldError("name")}</label>
        <fieldset className="text-sm">
          <legend>Events</legend>
          <div className="flex flex-wrap gap-3">
            {EVENTS.map((e) => (
              <label key={e.value} className="flex items-center gap-1"><input type="checkbox" name="events" value={e.value} defaultChecked={e.value === "leak"} />{e.label}</label>
            ))}
          </div>
          {fieldError("events")}
        </fieldset>
        <label className="block text-sm">CAUGHT category (optional)
          <select name="category" className={input} defaultValue="">
            <option value="">any</option>
            <option value="agent">agent (the claim does not match the data)</option>
            <option value="instrumentation">instrumentation (recorder or tags)</option>
            <option value="configuration">configuration (trusted endpoints)</option>
          </select>
          {fieldError("category")}
        </label>
        <label className="block text-sm">Agent (optional)<input name="agent_id" className={input} placeholder="every agent" />{fieldError("agent_id")}</label>
        <label className="block text-sm">Source (optional)<input name="source" className={input} placeholder="every source" />{fieldError("source")}</label>
        <label className="block text-sm">Destination
          <div className="flex gap-2">
            <select name="type" className="rounded border border-slate-300 px-2 py-1 text-sm" defaultValue="webhook">
              <option value="webhook">Webhook (signed JSON)</option>
              <option value="slack">Slack incoming webhook</option>
            </select>
            <input name="url" required className={input} placeholder="https://…" />
          </div>
          {fieldError("destination")}
        </label>
      </div>
      <div className="flex items-center gap-3">
        <button type="submit" disabled={pending} className="rounded bg-slate-900 px-3 py-1.5 text-sm text-white disabled:opacity-50">{pending ? "Creating…" : "Create rule"}</button>
        {error ? <span role="alert" className="text-sm text-red-700">{error.message}</span> : null}
      </div>
      {secret ? (
        <div role="status" className="rounded border border-amber-300 bg-amber-50 p-3 text-sm">
          <p className="font-medium">Rule created. Its signing secret is shown only now: store it where your receiver verifies signatures.</p>
          <p className="mt-1 flex items-center gap-2"><code data-testid="rule-secret" className="break-all">{secret}</code><CopyButton text={secret} /></p>
        </div>
      ) : null}
    </form>
  );
}
