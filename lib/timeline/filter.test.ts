import { describe, expect, it } from "vitest";
import { timelineViewFromPage, timelineViewFromQuery } from "./filter";
import { encodeTimelineCursor } from "../pagination/timeline-cursor";
import { ApiError } from "../http/errors";
import { PAGE_SIZE } from "../records/timeline-kinds";

const none = { cursor: undefined, limit: PAGE_SIZE, kinds: undefined, actions: undefined, leaksOnly: undefined, fromTs: undefined, toTs: undefined };

describe("timeline filter from an API query", () => {
  it("reads every parameter into the query's filter", () => {
    const cursor = encodeTimelineCursor({ ts: 5, rank: 1, id: "pd_1" });
    const q = new URLSearchParams({ cursor, limit: "20", kinds: "llm_call, handoff", actions: "a,b", leaks_only: "1", from: "2026-10-01T00:00:00Z", to: "2026-10-02T00:00:00.5Z" });
    expect(timelineViewFromQuery(q)).toEqual({
      cursor: { ts: 5, rank: 1, id: "pd_1" },
      limit: 20,
      kinds: ["llm_call", "handoff"],
      actions: ["a", "b"],
      leaksOnly: true,
      fromTs: Date.parse("2026-10-01T00:00:00Z") * 1000,
      toTs: Date.parse("2026-10-02T00:00:00Z") * 1000 + 500_000,
    });
    expect(timelineViewFromQuery(new URLSearchParams())).toEqual({ ...none, limit: 200 });
  });

  it("answers a bad parameter with a 400 that names it", () => {
    for (const [k, v] of [["kinds", "bogus"], ["cursor", "garbage"], ["limit", "0"], ["leaks_only", "yes"], ["from", "yesterday"]]) {
      try {
        timelineViewFromQuery(new URLSearchParams({ [k]: v }));
        expect.unreachable(`${k}=${v} was accepted`);
      } catch (e) {
        expect(e).toBeInstanceOf(ApiError);
        expect((e as ApiError).status).toBe(400);
        expect(JSON.stringify((e as ApiError).details)).toContain(k);
      }
    }
  });
});

describe("timeline filter from a page URL", () => {
  it("takes the filters, never cursor or limit, and asks for the dashboard's page size", () => {
    expect(timelineViewFromPage({ kinds: "tool_call", leaks_only: "true", cursor: "x", limit: "3" })).toEqual({ ...none, kinds: ["tool_call"], leaksOnly: true });
  });

  it("ignores a bad filter, a repeated parameter and text no database stores, showing the whole timeline", () => {
    expect(timelineViewFromPage({ kinds: "bogus", actions: "a" })).toEqual(none);
    expect(timelineViewFromPage({ actions: ["a", "b"] })).toEqual(none);
    expect(timelineViewFromPage({ actions: "a\u0000b" })).toEqual(none);
  });
});
