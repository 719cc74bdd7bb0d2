import { describe, expect, it } from "vitest";
import { cutoffsAt, describePolicy } from "./service";
import { cutoffOf } from "./deletion";
import { heldRecordIds, type HeldState } from "./held-records";
import { recordKey } from "../db/queries/legal-holds";
import { gapSentence } from "../records/deletion-gap";
import { storedRetentionSchema } from "../api-contract/retention";

const NOW = Date.UTC(2026, 11, 1);
const DAY_US = 86_400_000_000;

describe("retention policy", () => {
  it("cut-offs are the records' time (µs) minus the age; a source's own age, or forever, beats the default", () => {
    const c = cutoffsAt({ default_days: 30, sources: { a: 7, b: null } }, NOW);
    expect(c.default).toBe(NOW * 1000 - 30 * DAY_US);
    expect(cutoffOf(c, "a")).toBe(NOW * 1000 - 7 * DAY_US);
    expect(cutoffOf(c, "b")).toBeNull();
    expect(cutoffOf(c, "other")).toBe(c.default);
    expect(cutoffOf(cutoffsAt({ default_days: null, sources: {} }, NOW), "x")).toBeNull();
  });

  it("says what it applied, for the log", () => {
    expect(describePolicy({ default_days: null, sources: { a: 7, b: null } })).toBe("retention (default: keep forever; a: 7 days; b: keep forever)");
    expect(gapSentence({ actor: "retention", at: "2026-12-01T03:00:00.000Z", records: 127 })).toBe("127 records deleted by retention on 2026-12-01");
    expect(gapSentence({ actor: "cli:dana", at: "2026-12-01T03:00:00.000Z", records: 1 })).toBe("1 record deleted by cli:dana on 2026-12-01");
  });

  it("ages are whole days from 1; null keeps forever", () => {
    expect(storedRetentionSchema.safeParse({ default_days: 0, sources: {} }).success).toBe(false);
    expect(storedRetentionSchema.safeParse({ default_days: 1.5, sources: {} }).success).toBe(false);
    expect(storedRetentionSchema.safeParse({ default_days: null, sources: { s: -1 } }).success).toBe(false);
    expect(storedRetentionSchema.safeParse({ default_days: null, sources: { s: null } }).success).toBe(true);
  });
});

describe("heldRecordIds", () => {
  const state = (over: Partial<HeldState["holds"]> = {}, evidence: string[] = []): HeldState => ({
    holds: { agents: new Set(), sources: new Set(), records: new Set(), releasedCaught: new Set(), ...over },
    evidence: new Set(evidence),
    expanded: new Set(),
    holdIds: new Set(),
  });
  const rows = [
    { id: "1", agent_id: "a", source: "s" },
    { id: "2", agent_id: "b", source: "t" },
    { id: "3", agent_id: "c", source: "u" },
  ];
  it("keeps what an agent, source or record hold or a held handoff's evidence names, in that table only", () => {
    expect([...heldRecordIds(state(), "intercepts", rows)]).toEqual([]);
    expect([...heldRecordIds(state({ agents: new Set(["a"]) }), "intercepts", rows)]).toEqual(["1"]);
    expect([...heldRecordIds(state({ sources: new Set(["t"]) }), "handoffs", rows)]).toEqual(["2"]);
    expect([...heldRecordIds(state({ records: new Set([recordKey("intercepts", "3")]) }), "intercepts", rows)]).toEqual(["3"]);
    expect([...heldRecordIds(state({ records: new Set([recordKey("intercepts", "3")]) }), "handoffs", rows)]).toEqual([]);
    expect([...heldRecordIds(state({}, [recordKey("policy_decisions", "2")]), "policy_decisions", rows)]).toEqual(["2"]);
  });
});
