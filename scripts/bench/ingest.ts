// Ingest over HTTP against a real `next start`, and in the same run the raw baseline on a
// second fresh database of the same kind: the same rows, batch size and concurrency.
import type { Dialect } from "../../lib/db/config";
import { countStored, type Databases } from "./databases";
import { preparedRows } from "./prepare";
import { rawWriter } from "./raw";
import { benchRecords, isLeakRecord, type GenOptions } from "./records";
import { BENCH_KEY, startServer } from "./server";
import { perSecond, ratio } from "./stats";
import { createServer } from "node:http";

export interface IngestOptions {
  records: number;
  batch: number;
  clients: number;
  agents: number;
  port: number;
  /** active alert rules (each wants every event kind) with a loopback receiver answering 200 */
  alertRules?: number;
}

export interface IngestResult {
  records: number;
  batch: number;
  clients: number;
  seconds: number;
  records_per_s: number;
  raw_method: string;
  raw_seconds: number;
  raw_records_per_s: number;
  ratio: number;
  stored_rows: number;
  stored_leaks: number;
  expected_leaks: number;
  alert_rules: number;
  /** messages the receiver got while the clients sent */
  alert_messages: number;
  /** CPU milliseconds the server spent per 1,000 records while the clients sent */
  server_cpu_ms_per_1000: number;
  /** of which the server's main thread (requests and, on SQLite, storing) */
  server_main_thread_cpu_ms_per_1000: number;
}

/** Runs `worker` on `clients` concurrent loops that take batch numbers 0..batches-1 in turn. */
async function concurrently(batches: number, clients: number, worker: (b: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < batches) await worker(next++);
    }),
  );
}

async function post(url: string, body: string, expectAccepted: number): Promise<void> {
  const res = await fetch(`${url}/api/v1/ingest`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_KEY}` },
    body,
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`ingest answered ${res.status}: ${text.slice(0, 300)}`);
  const r = JSON.parse(text) as { accepted: number };
  if (r.accepted !== expectAccepted) throw new Error(`ingest accepted ${r.accepted} of ${expectAccepted}`);
}

export async function benchIngest(dialect: Dialect, dbs: Databases, o: IngestOptions): Promise<IngestResult> {
  const gen: GenOptions = { agents: o.agents, startMs: Date.UTC(2026, 0, 1), source: "bench-ingest" };
  const batches = Math.ceil(o.records / o.batch);
  const range = (b: number) => [b * o.batch, Math.min(o.records, (b + 1) * o.batch)] as const;
  // Bodies are built before the clock starts: the clients only send.
  const bodies = Array.from({ length: batches }, (_, b) => JSON.stringify({ records: benchRecords(...range(b), gen) }));

  const url = await dbs.fresh(dialect);
  const rules = o.alertRules ?? 0;
  // The alert destination: a receiver in this process that answers 200 to everything.
  let received = 0;
  const receiver = createServer((req, res) => {
    req.resume();
    req.on("end", () => ((received++), res.writeHead(200).end()));
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
  const server = await startServer(url, o.port, rules ? { VERDICT_WEBHOOKS_ALLOW_HTTP: "1" } : {});
  let seconds: number;
  let messages = 0;
  let cpuMsPer1000 = NaN;
  let mainCpuMsPer1000 = NaN;
  try {
    for (let i = 0; i < rules; i++) {
      const res = await fetch(`${server.url}/api/v1/alert-rules`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${BENCH_KEY}` },
        body: JSON.stringify({ name: `bench ${i}`, events: ["leak", "caught", "block", "disagreement"], destination: { type: "webhook", url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook` } }),
      });
      if (res.status !== 201) throw new Error(`creating an alert rule answered ${res.status}: ${await res.text()}`);
    }
    // Warm-up on another source: the first request loads the route and opens the database.
    await post(server.url, JSON.stringify({ records: benchRecords(0, 200, { ...gen, source: "bench-warmup" }) }), 200);
    const cpu0 = server.cpuSeconds();
    const main0 = server.mainThreadCpuSeconds();
    const t0 = performance.now();
    await concurrently(batches, o.clients, (b) => post(server.url, bodies[b], range(b)[1] - range(b)[0]));
    seconds = (performance.now() - t0) / 1000;
    cpuMsPer1000 = Math.round(((server.cpuSeconds() - cpu0) * 1000 * 1000) / o.records);
    mainCpuMsPer1000 = Math.round(((server.mainThreadCpuSeconds() - main0) * 1000 * 1000) / o.records);
    messages = received;
  } finally {
    await server.stop();
    await new Promise((r) => receiver.close(r));
  }
  const stored = await countStored(url, gen.source);
  let expected = 0;
  for (let n = 0; n < o.records; n++) if (isLeakRecord(n, o.agents)) expected++;

  // The raw baseline: rows prepared (untimed), then only the writes are timed.
  const rawUrl = await dbs.fresh(dialect);
  const rows = Array.from({ length: batches }, (_, b) => preparedRows(...range(b), gen));
  // SQLite has one writer at a time; PostgreSQL gets the same 4 concurrent clients.
  const writers = await Promise.all(Array.from({ length: dialect === "sqlite" ? 1 : o.clients }, () => rawWriter(dialect, rawUrl)));
  const t1 = performance.now();
  let w = 0;
  await Promise.all(
    writers.map(async (writer) => {
      while (w < batches) await writer.write(rows[w++]);
    }),
  );
  const rawSeconds = (performance.now() - t1) / 1000;
  await Promise.all(writers.map((x) => x.close()));
  const rawStored = await countStored(rawUrl, gen.source);
  if (rawStored.rows !== o.records) throw new Error(`raw baseline stored ${rawStored.rows} of ${o.records}`);

  const ours = perSecond(o.records, seconds * 1000);
  const raw = perSecond(o.records, rawSeconds * 1000);
  return {
    records: o.records,
    batch: o.batch,
    clients: o.clients,
    seconds: round(seconds),
    records_per_s: ours,
    raw_method: dialect === "sqlite" ? "better-sqlite3 prepared INSERT, 1 transaction per batch" : `COPY FROM STDIN, 1 per batch, ${o.clients} connections`,
    raw_seconds: round(rawSeconds),
    raw_records_per_s: raw,
    ratio: ratio(ours, raw),
    stored_rows: stored.rows,
    stored_leaks: stored.leaks,
    expected_leaks: expected,
    alert_rules: rules,
    alert_messages: messages,
    server_cpu_ms_per_1000: cpuMsPer1000,
    server_main_thread_cpu_ms_per_1000: mainCpuMsPer1000,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
