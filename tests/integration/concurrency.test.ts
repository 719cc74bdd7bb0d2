// 8 clients send 50 batches each at the same time to a real server process, with ids that
// overlap between clients: the stored count equals the distinct records sent, every answer
// is 2xx (no database-busy error reaches a client), on SQLite and on PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db/client";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { TEST_KEY } from "../support/http";
import { startServer, type ServerProcess } from "../support/server";

const CLIENTS = 8;
const BATCHES = 50;
const PER_BATCH = 20;
const SHARED_PER_BATCH = 5; // of PER_BATCH, ids every client sends (same content)

/** Client c's batch b: its own records, shared ones, and a tool call + leaked LLM call per agent. */
export function batchOf(c: number, b: number) {
  return Array.from({ length: PER_BATCH }, (_, r) => {
    const shared = r < SHARED_PER_BATCH;
    const id = shared ? `shared-${b}-${r}` : `c${c}-b${b}-r${r}`;
    const agent = shared ? "shared_agent" : `agent_${c}`;
    const llm = r % 2 === 1;
    return {
      type: "intercept", id, source: "concurrency", agent_id: agent, action_name: "fetch_quote",
      source_url: llm ? "https://api.openai.com/v1/chat/completions" : `https://quotes.example.com/q?i=${id}`,
      request_payload: { url: llm ? "https://api.openai.com/v1/chat/completions" : `https://quotes.example.com/q?i=${id}`, method: llm ? "POST" : "GET" },
      raw_response: { id, price: b * 100 + r },
      created_at: new Date(Date.UTC(2026, 10, 20, 10) + b * 1000 + r * 10).toISOString(),
    };
  });
}

describe.each(DIALECTS)("concurrent ingest on %s", (dialect) => {
  let db: Db;
  let server: ServerProcess;
  beforeAll(async () => {
    const { db: d } = await useFreshDatabase(dialect);
    db = d;
    server = await startServer(process.env.DATABASE_URL!, TEST_KEY);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it(`${CLIENTS} clients × ${BATCHES} batches of ${PER_BATCH}: every record stored once, no client sees an error`, async () => {
    const failures: string[] = [];
    let accepted = 0, duplicates = 0;
    const t0 = Date.now();
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        for (let b = 0; b < BATCHES; b++) {
          const res = await fetch(`${server.url}/api/v1/ingest`, {
            method: "POST",
            headers: { authorization: `Bearer ${TEST_KEY}`, "content-type": "application/json" },
            body: JSON.stringify({ records: batchOf(c, b) }),
          });
          const body = await res.json();
          if (res.status !== 200) failures.push(`client ${c} batch ${b}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
          else {
            accepted += body.accepted;
            duplicates += body.duplicates;
          }
        }
      }),
    );
    const distinct = new Set(Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: BATCHES }, (_, b) => batchOf(c, b).map((r) => r.id))).flat(2)).size;
    process.stdout.write(`[concurrency] ${dialect}: ${CLIENTS * BATCHES} batches, ${CLIENTS * BATCHES * PER_BATCH} records sent, ${distinct} distinct, in ${Date.now() - t0} ms\n`);
    expect(failures).toEqual([]);
    expect(accepted).toBe(distinct);
    expect(accepted + duplicates).toBe(CLIENTS * BATCHES * PER_BATCH);
    expect(await db.intercept.count({ where: { source: "concurrency" } })).toBe(distinct);
    // leak links were made under concurrency too: every LLM call that follows a tool call of its
    // agent is a leak; only each client agent's first LLM call (batch 0, r = 5) has none before it
    const llm = await db.intercept.count({ where: { source: "concurrency", kind: "llm_call" } });
    const sentLlm = new Set(Array.from({ length: CLIENTS }, (_, c) => Array.from({ length: BATCHES }, (_, b) => batchOf(c, b).filter((r) => r.source_url.includes("openai")).map((r) => r.id))).flat(2)).size;
    expect(llm).toBe(sentLlm);
    expect(await db.intercept.count({ where: { source: "concurrency", kind: "llm_call", isLeak: true } })).toBe(llm - CLIENTS);
  });

  it("prepares the bodies on the ingest worker of the production build", () => {
    // The build must bundle the worker entry; if it could not start, bodies were prepared on
    // the request thread (correct, as the test above shows, but half as fast on two cores).
    expect(server.output()).toContain("[verdict] ingest worker ready");
    expect(server.output()).not.toContain("ingest worker unavailable");
  });
});
