// The overview's "needs attention": CAUGHT verdicts per day by category (false alarms left
// out), what nobody has reviewed yet, where Verdict and the evaluator disagree, and the newest
// open leaks. Every card and every bar opens the list it summarizes.
import Link from "next/link";
import type { AttentionHandoff, NeedsAttention as Data } from "@/lib/api-contract/overview";

const CATEGORY: Record<string, { label: string; bar: string; swatch: string }> = {
  agent: { label: "agent (claim is wrong)", bar: "bg-red-600", swatch: "bg-red-600" },
  instrumentation: { label: "instrumentation", bar: "bg-amber-500", swatch: "bg-amber-500" },
  configuration: { label: "configuration", bar: "bg-sky-600", swatch: "bg-sky-600" },
  not_evaluated: { label: "not evaluated", bar: "bg-slate-500", swatch: "bg-slate-500" },
  none: { label: "no cause found", bar: "bg-violet-500", swatch: "bg-violet-500" },
};
const caughtHref = (category?: string, day?: string) => `/handoffs?outcome=CAUGHT${category ? `&category=${category}` : ""}${day ? `&day=${day}` : ""}`;

function Card({ title, href, linkLabel, testId, children }: { title: string; href: string; linkLabel: string; testId: string; children: React.ReactNode }) {
  return (
    <section aria-label={title} data-testid={testId} className="min-w-0 space-y-2 rounded-lg border border-slate-200 bg-white p-4">
      <header className="flex flex-wrap items-baseline justify-between gap-2">
        <h3 className="font-semibold">{title}</h3>
        <Link href={href} className="text-sm text-blue-700 underline">{linkLabel}</Link>
      </header>
      {children}
    </section>
  );
}

function HandoffItems({ items, empty }: { items: AttentionHandoff[]; empty: string }) {
  if (!items.length) return <p className="text-sm text-slate-600">{empty}</p>;
  return (
    <ul className="divide-y divide-slate-100 text-sm">
      {items.map((h) => (
        <li key={h.id} className="py-1.5">
          <Link href={`/handoffs/${encodeURIComponent(h.id)}`} className="block min-w-0 truncate text-blue-700 underline" data-testid="attention-handoff">
            {h.task ?? h.id}
          </Link>
          <span className="text-xs text-slate-600">
            <code>{h.agent_id}</code> · {h.primary_cause ?? "no cause found"}
            {h.evaluator_outcome && h.verdict_outcome && h.evaluator_outcome !== h.verdict_outcome ? ` · evaluator ${h.evaluator_outcome}, Verdict ${h.verdict_outcome}` : ""} · {h.created_at.slice(0, 16).replace("T", " ")}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function NeedsAttention({ data }: { data: Data }) {
  const max = Math.max(1, ...data.days.map((d) => Object.values(d.counts).reduce((a, b) => a + b, 0)));
  const totals = Object.fromEntries(data.categories.map((c) => [c, data.days.reduce((s, d) => s + (d.counts[c] ?? 0), 0)]));
  return (
    <section aria-label="Needs attention" className="space-y-3" data-testid="needs-attention">
      <h2 className="text-lg font-semibold">Needs attention</h2>
      <div className="grid grid-cols-1 gap-4 lg:grid-cols-2">
        <Card title={`CAUGHT by category, last ${data.days.length} days`} href={caughtHref()} linkLabel="All CAUGHT" testId="attention-caught">
          {data.categories.length === 0 ? (
            <p className="text-sm text-slate-600">No CAUGHT verdicts in these days (false alarms are left out).</p>
          ) : (
            <>
              <div className="flex h-32 items-end gap-1" role="img" aria-label={`CAUGHT per day: ${data.categories.map((c) => `${totals[c]} ${CATEGORY[c]?.label ?? c}`).join(", ")}`}>
                {data.days.map((d) => {
                  const total = Object.values(d.counts).reduce((a, b) => a + b, 0);
                  return (
                    <div key={d.day} className="flex h-full min-w-0 flex-1 flex-col-reverse" title={`${d.day}: ${total} CAUGHT`}>
                      {data.categories.map((c) =>
                        d.counts[c] ? (
                          <Link key={c} href={caughtHref(c, d.day)} aria-label={`${d.day}: ${d.counts[c]} ${CATEGORY[c]?.label ?? c}`} title={`${d.day}: ${d.counts[c]} ${CATEGORY[c]?.label ?? c}`}
                            className={`block w-full ${CATEGORY[c]?.bar ?? "bg-slate-500"} hover:opacity-80`} style={{ height: `${(d.counts[c] / max) * 100}%` }} data-testid={`caught-bar-${c}`} />
                        ) : null,
                      )}
                    </div>
                  );
                })}
              </div>
              <div className="flex justify-between text-xs text-slate-600"><span>{data.days[0].day}</span><span>{data.days.at(-1)!.day}</span></div>
              <ul className="flex flex-wrap gap-x-4 gap-y-1 text-sm">
                {data.categories.map((c) => (
                  <li key={c}>
                    <Link href={caughtHref(c)} className="inline-flex items-center gap-1 underline" data-testid={`category-${c}`}>
                      <span aria-hidden className={`inline-block h-2.5 w-2.5 ${CATEGORY[c]?.swatch ?? "bg-slate-500"}`} />
                      {CATEGORY[c]?.label ?? c}: {totals[c]}
                    </Link>
                  </li>
                ))}
              </ul>
            </>
          )}
        </Card>
        <Card title={`Not yet reviewed (${data.unreviewed.count})`} href="/handoffs?outcome=CAUGHT&review=unreviewed" linkLabel="Review them" testId="attention-unreviewed">
          <HandoffItems items={data.unreviewed.newest} empty="Every CAUGHT verdict has been reviewed." />
        </Card>
        <Card title={`Verdict and evaluator disagree (${data.disagreements.count})`} href="/handoffs?agreement=differs" linkLabel="All disagreements" testId="attention-disagreements">
          <HandoffItems items={data.disagreements.newest} empty="Verdict agrees with every evaluator outcome." />
        </Card>
        <Card title="Newest leaks" href="/agents?leaking=true" linkLabel="Leaking agents" testId="attention-leaks">
          {data.leaks.length ? (
            <ul className="divide-y divide-slate-100 text-sm">
              {data.leaks.map((l) => (
                <li key={l.id} className="py-1.5">
                  <Link href={`/agents/${encodeURIComponent(l.agent_id)}?leaks_only=true&event=${encodeURIComponent(l.id)}`} className="block min-w-0 truncate text-blue-700 underline">
                    <code>{l.agent_id}</code>: tag <code>{l.action_name}</code> on {l.source_url}
                  </Link>
                  <span className="text-xs text-slate-600">{l.created_at.slice(0, 16).replace("T", " ")}</span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">No open leaks.</p>
          )}
        </Card>
      </div>
    </section>
  );
}
