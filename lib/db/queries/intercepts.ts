// One intercept with the rows its leak analysis needs: the tool call its tag came from, the LLM
// calls its tag leaked into, and whether any tool call carries its tag
// (lib/intercepts/service.ts turns them into what the API answers).
import type { Db, DbHandle } from "../client";
import { UNTAGGED } from "@/lib/records/intercept";


export type InterceptRow = Awaited<ReturnType<Db["intercept"]["findUnique"]>> & {};

export interface InterceptWithLinks {
  row: InterceptRow;
  /** the tool call a leaked LLM call's tag came from */
  tool: InterceptRow | null;
  /** for a tool call: the LLM calls that carry its tag, oldest first (at most 100) */
  leakedInto: InterceptRow[];
  /** false for a tagged LLM call whose tag no tool call of its agent carries */
  hasToolCall: boolean;
}

export async function findIntercept({ db }: DbHandle, id: string): Promise<InterceptWithLinks | null> {
  const r = await db.intercept.findUnique({ where: { id } });
  // Filler rows are the recorder's padding, never shown as agent traffic.
  if (!r || r.kind === "filler") return null;
  const [tool, leakedInto, hasToolCall] = await Promise.all([
    r.isLeak && r.leakToolId ? db.intercept.findUnique({ where: { id: r.leakToolId } }) : Promise.resolve(null),
    r.kind === "tool_call"
      ? db.intercept.findMany({ where: { agentId: r.agentId, kind: "llm_call", leakToolId: r.id }, orderBy: [{ ts: "asc" }, { id: "asc" }], take: 100 })
      : Promise.resolve([]),
    r.kind === "llm_call" && r.actionName !== UNTAGGED
      ? db.intercept.findFirst({ where: { agentId: r.agentId, actionName: r.actionName, kind: "tool_call" }, select: { id: true } }).then(Boolean)
      : Promise.resolve(true),
  ]);
  return { row: r, tool, leakedInto, hasToolCall };
}
