import { describe, expect, it } from "vitest";
import { prepareBatch } from "./prepare";
import { idMaker, idTime, newId } from "../records/ids";

describe("idMaker", () => {
  it("makes distinct, URL-safe ids: the time, then 72 random bits; and keeps going past its pool", () => {
    const next = idMaker(2);
    const ids = [next("int"), next("pol"), next("hof")];
    expect(ids[0]).toMatch(/^int_[0-9a-z]{9}[A-Za-z0-9_-]{12}$/);
    expect(ids[1]).toMatch(/^pol_[0-9a-z]{9}[A-Za-z0-9_-]{12}$/);
    expect(ids[2]).toMatch(/^hof_[0-9a-z]{9}[A-Za-z0-9_-]{12}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it("puts the time first, so ids made later sort later (as text)", () => {
    expect(idTime(Date.UTC(2026, 11, 1))).toHaveLength(9);
    const times = [0, 1, 35, 36, Date.UTC(2026, 0, 1), Date.UTC(2026, 11, 1, 23, 59, 59, 999), Date.UTC(2100, 0, 1)];
    const made = times.map(idTime);
    expect([...made].sort()).toEqual(made);
    expect(new Set(made).size).toBe(times.length);
    const a = newId("int");
    const b = idMaker(1)("int");
    expect(a.slice(4, 13) <= b.slice(4, 13)).toBe(true);
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
