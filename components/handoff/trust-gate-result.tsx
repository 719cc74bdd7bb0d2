import type { TrustGateResult as Gate } from "@/lib/analysis/trust-gate";

/** The trust gate: the snapshot, and which claim endpoints are missing from it. */
export function TrustGateResult({ gate }: { gate: Gate }) {
  return (
    <section aria-label="Trust gate" className={`rounded border p-3 text-sm ${gate.passed ? "border-slate-200 bg-white" : "border-red-300 bg-red-50"}`} data-testid="trust-gate">
      <h3 className="font-semibold">
        Trust gate: {!gate.checked && gate.passed ? "not checked (empty snapshot)" : gate.passed ? "passed" : "failed"}
      </h3>
      {gate.errors.map((e) => (
        <p key={e} className="font-mono text-xs text-red-800">{e}</p>
      ))}
      {gate.missing.length ? (
        <div className="mt-1">
          Missing from the trusted snapshot:
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
