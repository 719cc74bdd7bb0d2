import { describe, expect, it } from "vitest";
import {
  findTagLeaks,
  findTagsOnSeveralHosts,
  findTagsOnlyOnLlmCalls,
  findUntagged,
  leakReason,
  tagFindings,
  tagStatus,
  untaggedReason,
  type CallFacts,
  type TagUse,
} from "./leaks";

const T0 = 1_763_632_800_000_000; // µs
let n = 0;
function call(p: Partial<CallFacts> & Pick<CallFacts, "kind" | "actionName">): CallFacts {
  const ts = p.ts ?? T0 + ++n * 1_000_000;
  return {
    id: p.id ?? `c${String(++n).padStart(4, "0")}`,
    agentId: "fetch_and_claim",
    method: p.kind === "llm_call" ? "POST" : "GET",
    host: p.kind === "llm_call" ? "api.openai.com" : "api.open-meteo.com",
    path: p.kind === "llm_call" ? "/v1/chat/completions" : "/v1/forecast?latitude=59.91",
    createdAt: new Date(ts / 1000).toISOString(),
    ...p,
    ts,
  };
}

describe("findTagLeaks: span nesting", () => {
  it("links an LLM call with a parent tool to that tool call, not to a later one with the tag, and says so", () => {
    const first = call({ kind: "tool_call", actionName: "fetch_weather", id: "first" });
    const second = call({ kind: "tool_call", actionName: "fetch_weather", id: "second" });
    const llm = call({ kind: "llm_call", actionName: "fetch_weather", id: "llm", parentToolId: "first" });
    const [leak] = findTagLeaks([llm, second, first]);
    expect(leak).toMatchObject({ llmInterceptId: "llm", toolInterceptId: "first" });
    expect(leak.reason).toMatch(/ran inside the tool call GET api\.open-meteo\.com.*from span nesting/);
    // a tool span recorded without a URL is named as its span is
    const otelTool = call({ kind: "tool_call", actionName: "fetch_weather", id: "otel", method: "", host: "execute_tool", path: "/fetch%20weather" });
    const nested = call({ kind: "llm_call", actionName: "fetch_weather", id: "llm2", parentToolId: "otel" });
    expect(findTagLeaks([otelTool, nested])[0].reason).toContain("ran inside the tool call execute_tool fetch weather (");
  });
});

describe("findTagLeaks: the async leak", () => {
  it("flags the LLM POST that follows the tool GET in the same task with the tool's tag", () => {
    const plan = call({ id: "plan", kind: "llm_call", actionName: "unknown", ts: T0 });
    const tool = call({ id: "tool", kind: "tool_call", actionName: "fetch_weather", ts: T0 + 900_000 });
    const llm = call({ id: "llm", kind: "llm_call", actionName: "fetch_weather", ts: T0 + 2_100_000 });
    const leaks = findTagLeaks([llm, plan, tool]);
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ llmInterceptId: "llm", toolInterceptId: "tool", actionName: "fetch_weather" });
    expect(leaks[0].reason).toContain('carries the action tag "fetch_weather"');
    expect(leaks[0].reason).toContain("GET api.open-meteo.com/v1/forecast");
    expect(leaks[0].reason).toContain("1.2 s earlier");
  });

  it("negative twin: correctly scoped LLM calls (untagged, or tagged as an LLM action) are not leaks", () => {
    const tool = call({ id: "tool", kind: "tool_call", actionName: "fetch_weather", ts: T0 });
    const untagged = call({ id: "llm1", kind: "llm_call", actionName: "unknown", ts: T0 + 1_000_000 });
    const llmAction = call({ id: "llm2", kind: "llm_call", actionName: "llm_summarize", ts: T0 + 2_000_000 });
    expect(findTagLeaks([tool, untagged, llmAction])).toEqual([]);
  });

  it("names the latest earlier tool call with that tag, never a later one", () => {
    const t1 = call({ id: "t1", kind: "tool_call", actionName: "fetch_weather", ts: T0 });
    const t2 = call({ id: "t2", kind: "tool_call", actionName: "fetch_weather", ts: T0 + 10 });
    const llm = call({ id: "l", kind: "llm_call", actionName: "fetch_weather", ts: T0 + 20 });
    const t3 = call({ id: "t3", kind: "tool_call", actionName: "fetch_weather", ts: T0 + 30 });
    expect(findTagLeaks([t3, llm, t2, t1]).map((l) => l.toolInterceptId)).toEqual(["t2"]);
  });

  it("counts a tool call at the same instant as earlier, the larger id winning a tie (as ingest does)", () => {
    const llm = call({ id: "a", kind: "llm_call", actionName: "x", ts: T0 });
    const ta = call({ id: "b", kind: "tool_call", actionName: "x", ts: T0 });
    const tb = call({ id: "c", kind: "tool_call", actionName: "x", ts: T0 });
    expect(findTagLeaks([llm, ta, tb]).map((l) => l.toolInterceptId)).toEqual(["c"]);
  });

  it("does not flag an LLM call whose tag only a later tool call has, or another agent's tool", () => {
    const llm = call({ id: "l", kind: "llm_call", actionName: "x", ts: T0 });
    const later = call({ id: "t", kind: "tool_call", actionName: "x", ts: T0 + 5 });
    const other = call({ id: "o", agentId: "someone_else", kind: "tool_call", actionName: "x", ts: T0 - 5 });
    expect(findTagLeaks([llm, later, other])).toEqual([]);
  });

  it("ignores filler rows", () => {
    const tool = call({ id: "t", kind: "filler", actionName: "x", ts: T0 });
    const llm = call({ id: "l", kind: "llm_call", actionName: "x", ts: T0 + 5 });
    expect(findTagLeaks([tool, llm])).toEqual([]);
  });
});

describe("reasons", () => {
  it("leakReason says which tool call, when, and what it breaks", () => {
    const r = leakReason(
      { actionName: "fetch_weather", method: "POST", host: "api.openai.com", path: "/v1/chat/completions", ts: T0 + 120_000_000 },
      { method: "GET", host: "api.open-meteo.com", path: "/v1/forecast", ts: T0, createdAt: "2025-11-20T10:00:00.000000Z" },
    );
    expect(r).toBe(
      'This LLM call (POST api.openai.com/v1/chat/completions) carries the action tag "fetch_weather" of the tool call GET api.open-meteo.com/v1/forecast made 2 min earlier (2025-11-20T10:00:00.000000Z): the tag was not reset after the tool ran, so a loader that takes the newest "fetch_weather" row gets this LLM call instead of the tool\'s response.',
    );
  });
  it("untaggedReason names the call and the likely cause", () => {
    expect(untaggedReason({ method: "GET", host: "search.example", path: "/q" })).toMatch(/GET search\.example\/q.*without `with`/);
  });
});

const use = (actionName: string, kind: TagUse["kind"], host: string, runId: string | null = null, count = 1): TagUse => ({ actionName, kind, host, runId, count });

describe("tag findings", () => {
  it("untagged calls: counts non-LLM calls tagged unknown, not untagged LLM calls", () => {
    expect(findUntagged([use("unknown", "llm_call", "api.openai.com", null, 4)])).toEqual([]);
    const f = findUntagged([use("unknown", "untagged_call", "search.example", "r1", 2), use("unknown", "llm_call", "api.openai.com", null, 4)]);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: "untagged_call", count: 2, severity: "warning" });
  });

  it("same tag on several hosts in one run, but not across runs or without a run id", () => {
    const uses = [
      use("search", "tool_call", "a.example", "r1"),
      use("search", "tool_call", "b.example", "r1", 2),
      use("search", "tool_call", "c.example", "r2"),
      use("fetch", "tool_call", "a.example", null),
      use("fetch", "tool_call", "b.example", null),
      use("search", "llm_call", "api.openai.com", "r2"),
    ];
    const f = findTagsOnSeveralHosts(uses);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({ rule: "tag_on_several_hosts", actionName: "search", runId: "r1", hosts: ["a.example", "b.example"], count: 3 });
    expect(f[0].message).toContain("2 hosts in run r1");
    // an OTLP execute_tool span without a URL is recorded at otel://execute_tool/<tool>: no host
    const otel: TagUse[] = [
      { actionName: "fetch", kind: "tool_call", host: "execute_tool", runId: "t1", count: 1 },
      { actionName: "fetch", kind: "tool_call", host: "api.weather.example", runId: "t1", count: 1 },
    ];
    expect(findTagsOnSeveralHosts(otel)).toEqual([]);
  });

  it("tags only on LLM calls: the tool body never ran; a warning when a handoff claims it", () => {
    const uses = [use("fetch_weather", "llm_call", "api.openai.com", null, 3), use("llm_summarize", "llm_call", "api.anthropic.com"), use("get_quote", "tool_call", "x"), use("get_quote", "llm_call", "api.openai.com")];
    const f = findTagsOnlyOnLlmCalls(uses, new Set(["fetch_weather"]));
    expect(f.map((x) => [x.actionName, x.severity])).toEqual([
      ["fetch_weather", "warning"],
      ["llm_summarize", "info"],
    ]);
    expect(f[0].message).toContain("the tool body never ran");
  });

  it("tagFindings lists warnings before notes", () => {
    const f = tagFindings([use("llm_summarize", "llm_call", "api.anthropic.com"), use("unknown", "untagged_call", "s.example")]);
    expect(f.map((x) => x.rule)).toEqual(["untagged_call", "tag_only_on_llm_calls"]);
  });

  it("tagStatus", () => {
    expect(tagStatus({ actionName: "x", isLeak: true })).toBe("leaked");
    expect(tagStatus({ actionName: "unknown", isLeak: false })).toBe("untagged");
    expect(tagStatus({ actionName: "x", isLeak: false })).toBe("tagged");
  });
});
