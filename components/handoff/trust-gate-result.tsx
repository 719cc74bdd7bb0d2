import type { TrustGateResult as Gate } from "@/lib/analysis/trust-gate";

/**
 * The trust gate: the snapshot, and which endpoints are missing from it. `own`: Verdict's own
 * check of the rows' URLs, which the evaluator does not make and which never changes the outcome.
 * `consequenceOf`: the primary cause the failure follows from (a leaked tag names the LLM's URL),
 * so the box says so and does not shout as if it were the cause.
 */
export function TrustGateResult({ gate, own = false, consequenceOf = null }: { gate: Gate; own?: boolean; consequenceOf?: string | null }) {
  const consequence = !gate.passed && consequenceOf !== null;
  const rule = gate.rule === "prefix" ? "URL prefixes (LIKE prefix%)" : "exact URLs";
  const unchecked = gate.snapshot.length ? "not checked (no claim carries a URL)" : "not checked (empty snapshot)";
  return (
    <section
      aria-label={own ? "Verdict's own trust check" : "Trust gate"}
      className={`rounded border p-3 text-sm ${gate.passed ? "border-slate-200 bg-white" : consequence ? "border-slate-200 border-l-4 border-l-slate-400 bg-white" : own ? "border-amber-300 bg-amber-50" : "border-red-300 bg-red-50"}`}
      data-testid={own ? "verdict-trust-check" : "trust-gate"}
    >
      {consequence ? (
        <p className="text-xs font-semibold uppercase text-slate-500" data-testid="consequence-label">Consequence of the {consequenceOf}, not a separate fault</p>
      ) : null}
      <h3 className="font-semibold">
        {own ? "Verdict's own check (not the evaluator's)" : "Trust gate"}: {!gate.checked && gate.passed ? unchecked : gate.passed ? "passed" : own ? "outside the snapshot" : "failed"}
      </h3>
      {own ? (
        <p className="text-xs text-slate-600">
          The claims carry no URL, so the evaluator gates nothing. Verdict checks the URL of each row a claim rests on against the snapshot ({rule}); this never changes the outcome.
        </p>
      ) : (
        <p className="text-xs text-slate-600">Matched as the library matches: {rule}.</p>
      )}
      {gate.errors.map((e) => (
        <p key={e} className="font-mono text-xs text-red-800">{e}</p>
      ))}
      {gate.missing.length ? (
        <div className="mt-1">
          {own ? "Rows called URLs outside the snapshot:" : "Missing from the trusted snapshot:"}
          <ul className="ml-4 list-disc font-mono text-xs">{gate.missing.map((u) => <li key={u}>{u}</li>)}</ul>
        </div>
      ) : null}
      {gate.untrusted.length ? (
        <div className="mt-1">
          Untrusted in the evaluator&apos;s live registry:
          <ul className="ml-4 list-disc font-mono text-xs">{gate.untrusted.map((u) => <li key={u}>{u}</li>)}</ul>
        </div>
      ) : null}
      <div className="mt-1 text-xs text-slate-600">
        Snapshot: {gate.snapshot.length ? <span className="font-mono">{gate.snapshot.join(", ")}</span> : "empty"}
      </div>
    </section>
  );
}
