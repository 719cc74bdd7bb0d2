import type { EventKind } from "@/lib/records/timeline-kinds";

/** How each kind of event looks at a glance: a label, a colour, a symbol. */
export const KIND_STYLE: Record<EventKind, { label: string; chip: string; symbol: string }> = {
  tool_call: { label: "Tool call", chip: "bg-sky-100 text-sky-800 border-sky-300", symbol: "⚙" },
  llm_call: { label: "LLM call", chip: "bg-violet-100 text-violet-800 border-violet-300", symbol: "✦" },
  untagged_call: { label: "Untagged call", chip: "bg-amber-100 text-amber-900 border-amber-300", symbol: "?" },
  policy_decision: { label: "Policy decision", chip: "bg-slate-100 text-slate-800 border-slate-300", symbol: "⛉" },
  handoff: { label: "Handoff", chip: "bg-emerald-100 text-emerald-800 border-emerald-300", symbol: "⇄" },
};
