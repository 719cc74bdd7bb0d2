import type { TagFinding } from "@/lib/analysis/leaks";

/** The agent-wide tagging faults (untagged calls, a tag on several hosts, a tag only on LLM calls). */
export function TagFindings({ findings }: { findings: TagFinding[] }) {
  if (!findings.length) return null;
  return (
    <ul aria-label="Tag findings" className="space-y-1 text-sm">
      {findings.map((f, i) => (
        <li key={i} className={`rounded border px-3 py-1.5 ${f.severity === "warning" ? "border-amber-300 bg-amber-50 text-amber-900" : "border-slate-200 bg-white text-slate-700"}`}>
          {f.message}
        </li>
      ))}
    </ul>
  );
}
