// Crash safety: SIGKILL the server while batches are being ingested, restart it, re-send
// every batch, and the stored set equals that of a clean run: same records, same content
// hashes, no duplicates; and right after the crash no batch is partly stored.
import { describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db/client";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { TEST_KEY } from "../support/http";
import { startServer, type ServerProcess } from "../support/server";

const BATCHES = 40;
const PER_BATCH = 100;

function batch(b: number) {
  const records: Record<string, unknown>[] = Array.from({ length: PER_BATCH - 1 }, (_, r) => {
    const id = `b${b}-r${r}`;
    const llm = r % 3 === 2;
    const url = llm ? "https://api.openai.com/v1/chat/completions" : `https://data.example.com/item/${id}`;
    return {
      type: "intercept", id, source: "crash", agent_id: `agent_${r % 4}`, action_name: `tool_${r % 7}`, source_url: url,
      request_payload: { url, method: llm ? "POST" : "GET", params: { id } },
      raw_response: { id, value: b * 1000 + r, text: "x".repeat(200) },
      created_at: new Date(Date.UTC(2026, 10, 20) + b * 10_000 + r).toISOString(),
    };
  });
  records.push({
    type: "handoff", id: `h${b}`, source: "crash", agent_id: "agent_1", created_at: new Date(Date.UTC(2026, 10, 20) + b * 10_000 + 500).toISOString(),
    payload: { run_id: `run-${b}`, task: "t", claims: [{ action_name: "tool_1", claimed_value: b, query_record_id: `b${b}-r1`, verification_mode: "verbatim" }] },
  });
  return records;
}

async function post(server: ServerProcess, b: number): Promise<number> {
  const res = await fetch(`${server.url}/api/v1/ingest`, {
    method: "POST",
    headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
    body: JSON.stringify({ records: batch(b) }),
  });
  await res.text();
  return res.status;
}

/**
 * What was stored, without Verdict's own ids and ingest times, nor the evidence columns made
 * from them (the record's hash covers its id; its batch is per transaction): one hash per record.
 * That every stored record is in the evidence chain is checked apart (chained()).
 */
async function storedSet(db: Db): Promise<string[]> {
  const hash = (row: unknown) => createHash("sha256").update(JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v))).digest("hex");
  const ints = await db.intercept.findMany({ where: { source: "crash" } });
  const byId = new Map(ints.map((r) => [r.id, r.sourceId]));
  const rows = ints.map(({ id: _id, ingestedAt: _at, leakToolId, recordHash: _h, batchId: _b, batchPos: _p, ...rest }) => `i ${rest.sourceId} ${hash({ ...rest, leakTool: leakToolId ? byId.get(leakToolId) : null })}`);
  const hofs = await db.handoff.findMany({ where: { source: "crash" } });
  rows.push(...hofs.map(({ id: _id, ingestedAt: _at, recordHash: _h, batchId: _b, batchPos: _p, ...rest }) => `h ${rest.sourceId} ${hash(rest)}`));
  return rows.sort();
}

/** Stored records of the run that are not in the evidence chain (a batch row must exist for each). */
async function unchained(db: Db): Promise<number> {
  const ints = await db.intercept.findMany({ where: { source: "crash" }, select: { recordHash: true, batchId: true } });
  const hofs = await db.handoff.findMany({ where: { source: "crash" }, select: { recordHash: true, batchId: true } });
  const batches = new Set((await db.$queryRawUnsafe<{ id: string }[]>(`SELECT "id" FROM "evidence_batches"`)).map((b) => b.id));
  return [...ints, ...hofs].filter((r) => !r.recordHash || !r.batchId || !batches.has(r.batchId)).length;
}

describe.each(DIALECTS)("crash safety on %s", (dialect) => {
  it("a SIGKILL mid-ingest, a restart and a re-send store exactly what a clean run stores", async () => {
    // the crashed run
    const { db } = await useFreshDatabase(dialect);
    const url = process.env.DATABASE_URL!;
    let server = await startServer(url, TEST_KEY);
    let acknowledged = 0;
    let next = 0;
    const senders = Array.from({ length: 4 }, async () => {
      while (next < BATCHES) {
        const b = next++;
        try {
          if ((await post(server, b)) === 200) acknowledged++;
        } catch {
          return; // the connection died with the server
        }
      }
    });
    while (acknowledged < 6) await new Promise((r) => setTimeout(r, 5));
    await server.kill();
    await Promise.all(senders);
    expect(acknowledged).toBeLessThan(BATCHES); // killed mid-ingest, not after

    // no partial batch: each batch is stored whole or not at all
    const storedPerBatch = new Map<number, number>();
    for (const r of await db.intercept.findMany({ where: { source: "crash" }, select: { sourceId: true } })) {
      const b = Number(/^b(\d+)-/.exec(r.sourceId!)![1]);
      storedPerBatch.set(b, (storedPerBatch.get(b) ?? 0) + 1);
    }
    for (const [b, count] of storedPerBatch) expect(count, `batch ${b}`).toBe(PER_BATCH - 1);
    expect(storedPerBatch.size).toBeGreaterThanOrEqual(acknowledged); // every acknowledged batch is durable

    server = await startServer(url, TEST_KEY);
    for (let b = 0; b < BATCHES; b++) expect(await post(server, b)).toBe(200);
    await server.stop();
    const afterCrash = await storedSet(db);
    expect(await unchained(db)).toBe(0); // the crash left no record outside the evidence chain
    process.stdout.write(`[crash-safety] ${dialect}: killed after ${acknowledged} acknowledged batches with ${storedPerBatch.size} stored; ${afterCrash.length} records after re-send\n`);

    // the clean run
    const clean = await useFreshDatabase(dialect);
    server = await startServer(process.env.DATABASE_URL!, TEST_KEY);
    for (let b = 0; b < BATCHES; b++) expect(await post(server, b)).toBe(200);
    await server.stop();
    const cleanSet = await storedSet(clean.db);

    expect(afterCrash.length).toBe(BATCHES * PER_BATCH);
    expect(new Set(afterCrash.map((r) => r.split(" ").slice(0, 2).join(" "))).size).toBe(afterCrash.length); // no duplicates
    expect(afterCrash).toEqual(cleanSet);
  });
});
