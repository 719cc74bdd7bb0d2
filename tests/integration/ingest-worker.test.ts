// The ingest worker (lib/ingest/prepare-pool.ts) on a real worker thread: it prepares
// exactly what the request thread would, and nothing is lost when it goes away mid-work.
import { afterAll, describe, expect, it } from "vitest";
import { PreparePool } from "@/lib/ingest/prepare-pool";
import { prepareBody, type PreparedBody } from "@/lib/ingest/prepare-body";
import { benchRecords } from "../../scripts/bench/records";
import * as f from "../fixtures/records";

const gen = { agents: 7, startMs: Date.UTC(2026, 10, 20), source: "worker-test" };
const body = (from: number, to: number) => JSON.stringify({ records: [...benchRecords(from, to, gen), f.edgePolicyDecision, f.handoffRecord, { type: "intercept", agent_id: "" }] });

/**
 * Ids and the ingest time are made fresh each time, and the evidence hash covers them (it is
 * checked for its form here; evidence.test.ts checks what it covers); everything else must match.
 */
function comparable(r: PreparedBody) {
  if ("problem" in r) return r;
  const strip = (rows: { id: string; ingestedAt: number; recordHash?: string }[]) => rows.map(({ id: _id, ingestedAt: _at, recordHash, ...rest }) => {
    expect(recordHash).toMatch(/^[0-9a-f]{64}$/);
    return rest;
  });
  const { batch, ...counts } = r.prepared;
  return { ...counts, intercepts: strip(batch.intercepts), policyDecisions: strip(batch.policyDecisions), handoffs: strip(batch.handoffs) };
}

describe("the ingest worker", () => {
  const pool = new PreparePool();
  afterAll(() => pool.terminate());

  it("starts, and prepares a body exactly as the request thread does (refusals included)", async () => {
    expect(await pool.whenReady()).toBe(true);
    const text = body(0, 300);
    const onWorker = await pool.prepare(text, "application/json");
    expect(comparable(onWorker)).toEqual(comparable(prepareBody(text, "application/json")));
    expect("prepared" in onWorker && onWorker.prepared.rejected).toEqual([{ index: 302, errors: expect.arrayContaining([expect.objectContaining({ path: "records.302.agent_id" })]) }]);
    expect(await pool.prepare("{not json", "application/json")).toEqual(prepareBody("{not json", "application/json"));
  });

  it("loses nothing when the worker goes away with bodies in hand, and comes back", async () => {
    const texts = Array.from({ length: 6 }, (_, i) => body(i * 200, (i + 1) * 200));
    const inFlight = texts.map((t) => pool.prepare(t, "application/json"));
    await pool.terminate();
    const results = await Promise.all(inFlight);
    results.forEach((r, i) => expect(comparable(r)).toEqual(comparable(prepareBody(texts[i], "application/json"))));
    expect(await pool.whenReady()).toBe(true); // a new worker
    expect(comparable(await pool.prepare(texts[0], "application/json"))).toEqual(comparable(prepareBody(texts[0], "application/json")));
  });
});
