// Reads at scale: bulk-load the rows (raw path, derived columns as ingest computes them),
// then p50/p95 of the read endpoints over HTTP against `next start`, and the browser.
import type { Dialect } from "../../lib/db/config";
import { countStored, findHandoffId, type Databases } from "./databases";
import { handoffWithClaims } from "./handoff";
import { bulkLoad } from "./load";
import { agentName, isLeakRecord, type GenOptions } from "./records";
import { BENCH_KEY, startServer } from "./server";
import { percentile } from "./stats";
import type { BrowserResult } from "./browser";

export interface Latency {
  path: string;
  samples: number;
  p50_ms: number;
  p95_ms: number;
  status: number;
}
export type EndpointResult = Latency | { path: string; missing: string };

export interface ReadsResult {
  rows: number;
  load_seconds: number;
  stored_leaks: number;
  expected_leaks: number;
  endpoints: Record<string, EndpointResult>;
}

export interface ReadsOptions {
  rows: number;
  heavyAgentEvents: number;
  samples: number;
  port: number;
  browser: ((baseUrl: string, agentId: string, events: number) => Promise<BrowserResult | { missing: string }>) | null;
}

const HANDOFF_CLAIMS = 50;

async function get(url: string): Promise<{ status: number; json: boolean; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { authorization: `Bearer ${BENCH_KEY}` } });
  await res.arrayBuffer();
  return { status: res.status, json: (res.headers.get("content-type") ?? "").includes("json"), ms: performance.now() - t0 };
}

/** Sequential requests after 3 warm-ups; an endpoint that answers with Next's HTML 404 is not built yet. */
export async function measure(base: string, path: string, samples: number): Promise<EndpointResult> {
  for (let i = 0; i < 3; i++) {
    const r = await get(base + path);
    if (r.status === 404 && !r.json) return { path, missing: "endpoint not built yet (404 page)" };
    if (r.status >= 400) return { path, missing: `answered ${r.status}` };
  }
  const ms: number[] = [];
  let status = 200;
  // A slow endpoint gets at least 10 samples, then stops after ~20 s, to keep the run short.
  const until = performance.now() + 20_000;
  for (let i = 0; i < samples && (i < 10 || performance.now() < until); i++) {
    const r = await get(base + path);
    status = r.status;
    ms.push(r.ms);
  }
  return { path, samples: ms.length, p50_ms: round(percentile(ms, 50)), p95_ms: round(percentile(ms, 95)), status };
}

export async function benchReads(dialects: Dialect[], dbs: Databases, o: ReadsOptions) {
  const startMs = Date.UTC(2026, 1, 1);
  const regular: GenOptions = { agents: 50, startMs, source: "bench-reads" };
  const heavy: GenOptions = { agents: 1, startMs, source: "bench-heavy", agentPrefix: "bench_heavy" };
  const sets = [
    { gen: regular, count: o.rows - o.heavyAgentEvents },
    { gen: heavy, count: o.heavyAgentEvents },
  ];
  let expectedLeaks = 0;
  for (const s of sets) for (let n = 0; n < s.count; n++) if (isLeakRecord(n, s.gen.agents)) expectedLeaks++;

  const targets = await Promise.all(dialects.map(async (dialect) => ({ dialect, url: await dbs.fresh(dialect) })));
  console.log(`[bench] loading ${o.rows} intercepts into ${dialects.join(" and ")} ...`);
  const t0 = performance.now();
  await bulkLoad(targets, sets);
  const loadSeconds = round((performance.now() - t0) / 1000);

  const reads: Partial<Record<Dialect, ReadsResult>> = {};
  const notes: string[] = [];
  let browser: BrowserResult | null = null;
  const agent = agentName(1);
  const heavyAgent = agentName(0, "bench_heavy");
  for (const t of targets) {
    const stored = await countStored(t.url, regular.source);
    const storedHeavy = await countStored(t.url, heavy.source);
    const server = await startServer(t.url, o.port);
    try {
      // The handoff goes in through ingest, as an evaluator would send it.
      const ingest = await fetch(`${server.url}/api/v1/ingest`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_KEY}` },
        body: JSON.stringify({ records: [handoffWithClaims(1, HANDOFF_CLAIMS, regular)] }),
      });
      if (!ingest.ok) throw new Error(`handoff ingest answered ${ingest.status}: ${await ingest.text()}`);
      const handoffId = await findHandoffId(t.url, `bench-handoff-1-${HANDOFF_CLAIMS}`);
      const endpoints: Record<string, EndpointResult> = {
        agents_list: await measure(server.url, "/api/v1/agents", o.samples),
        timeline_first_page: await measure(server.url, `/api/v1/agents/${agent}/timeline`, o.samples),
        timeline_leaks_only: await measure(server.url, `/api/v1/agents/${agent}/timeline?leaks_only=true`, o.samples),
        timeline_first_page_heavy_agent: await measure(server.url, `/api/v1/agents/${heavyAgent}/timeline`, o.samples),
        handoff_analysis_50_claims: await measure(server.url, `/api/v1/handoffs/${handoffId}`, o.samples),
      };
      reads[t.dialect] = { rows: stored.rows + storedHeavy.rows, load_seconds: loadSeconds, stored_leaks: stored.leaks + storedHeavy.leaks, expected_leaks: expectedLeaks, endpoints };
      if (o.browser && t.dialect === "sqlite") {
        const b = await o.browser(server.url, heavyAgent, storedHeavy.rows);
        if ("missing" in b) notes.push(`browser: ${b.missing}`);
        else browser = b;
      }
    } finally {
      await server.stop();
    }
  }
  return { reads, browser, notes };
}

const round = (x: number) => Math.round(x * 10) / 10;