import { describe, expect, it } from "vitest";
import { idMaker, prepareBatch } from "./prepare";

describe("idMaker", () => {
  it("makes distinct, URL-safe 96-bit ids, and keeps going past its pool", () => {
    const next = idMaker(2);
    const ids = [next("int"), next("pol"), next("hof")];
    expect(ids[0]).toMatch(/^int_[A-Za-z0-9_-]{16}$/);
    expect(ids[1]).toMatch(/^pol_[A-Za-z0-9_-]{16}$/);
    expect(ids[2]).toMatch(/^hof_[A-Za-z0-9_-]{16}$/);
    expect(new Set(ids).size).toBe(3);
  });
});

describe("prepareBatch", () => {
  const call = (id: number, action: string, url: string) => ({ type: "intercept", id, agent_id: "a", action_name: action, source_url: url, created_at: "2026-01-01T00:00:00Z" });
  it("classifies each call, also when the same endpoint repeats under different tags", () => {
    const raw = [
      call(1, "fetch", "https://api.openai.com/v1/chat/completions"),
      call(2, "unknown", "https://api.openai.com/v1/chat/completions"),
      call(3, "fetch", "https://tools.example/x"),
      call(4, "unknown", "https://tools.example/x"),
      call(4, "unknown", "https://tools.example/x"),
    ].map((value, index) => ({ index, value }));
    const p = prepareBatch(raw, {} as NodeJS.ProcessEnv);
    expect(p.batch.intercepts.map((r) => r.kind)).toEqual(["llm_call", "llm_call", "tool_call", "untagged_call"]);
    expect(p).toMatchObject({ size: 4, valid: 5, rejected: [] });
  });
});
