// `npm run bench [-- --quick] [--no-postgres] [--rebuild] [--only=ingest,reads,browser,export] [--alert-rules=N [--alert-rounds=R]] [--export-records=N] [--ingest-records=N]`
// `npm run bench -- --growth N [--windows K] [--span-days D] [--agents A] [--hold] [--no-postgres] [--no-sqlite] [--pg-setting=name=value ...]`: the growth run (growth.ts)
// Measures Verdict on a fresh database against the raw speed of the storage itself, prints
// a table and writes bench-results.json. Not a test: no thresholds, the targets are
// printed beside the numbers.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import type { Dialect } from "../../lib/db/config";
import { Databases } from "./databases";
import { benchIngest, type IngestResult } from "./ingest";
import { ratio } from "./stats";
import { benchReads, type ReadsResult } from "./reads";
import { benchBrowser, type BrowserResult } from "./browser";
import { benchExport, type ExportResult } from "./export";
import { ensureBuild } from "./server";
import { printTable } from "./report";
import { benchGrowth, growthSvg, type GrowthResult, type GrowthStep } from "./growth";

const args = process.argv.slice(2);
/** `--name=value` or `--name value` */
const option = (name: string): string | undefined => {
  const eq = args.find((a) => a.startsWith(`--${name}=`));
  if (eq) return eq.slice(name.length + 3);
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length && !args[i + 1].startsWith("--") ? args[i + 1] : undefined;
};
const quick = args.includes("--quick");
const only = (args.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? ["ingest", "reads", "browser", "export"]) as string[];
// The export bundle's scale test: 1,000,000 records in the full run (the figure issue 19 asks
// for); the quick run (CI's) proves it works on 50,000.
const exportRecords = Number(args.find((a) => a.startsWith("--export-records="))?.slice(17) ?? (quick ? 50_000 : 1_000_000));
const port = Number(process.env.BENCH_PORT ?? 3206);
// Ingest without and with N active alert rules (every event kind, to a loopback receiver),
// alternating R rounds: the cost of alerts.
const alertRules = Number(args.find((a) => a.startsWith("--alert-rules="))?.slice(14) ?? 0);

/** Alternating rounds (without, then with the rules) when --alert-rules is given. */
const ALERT_ROUNDS = Number(args.find((a) => a.startsWith("--alert-rounds="))?.slice(15) ?? 3);

/** The run with the median ingest rate. */
function medianRun(runs: IngestResult[]): IngestResult {
  return [...runs].sort((a, b) => a.records_per_s - b.records_per_s)[Math.floor((runs.length - 1) / 2)];
}

export interface AlertCost {
  rules: number;
  without_records_per_s: number[];
  with_records_per_s: number[];
  messages_received: number[];
  /** the server's CPU per 1,000 records, per run (less disturbed by other load than the rates) */
  without_cpu_ms_per_1000: number[];
  with_cpu_ms_per_1000: number[];
  without_main_thread_cpu_ms_per_1000: number[];
  with_main_thread_cpu_ms_per_1000: number[];
  /** median with the rules / median without */
  ratio: number;
}

export const SIZES = quick
  ? { ingestRecords: 20_000, readRows: 100_000, heavyAgentEvents: 20_000, samples: 20 }
  : { ingestRecords: 200_000, readRows: 1_000_000, heavyAgentEvents: 100_000, samples: 100 };
// --ingest-records=N: a longer (or shorter) ingest run than the mode's, e.g. to compare two builds
// with --quick's reads but an ingest long enough to leave the start-up noise behind.
const ingestRecordsArg = args.find((a) => a.startsWith("--ingest-records="));
if (ingestRecordsArg) SIZES.ingestRecords = Number(ingestRecordsArg.slice(17));

export interface BenchResults {
  date: string;
  mode: "quick" | "full";
  machine: { cpus: number; cpu: string; memory_gb: number; node: string; platform: string };
  sizes: typeof SIZES;
  ingest: Partial<Record<Dialect, IngestResult>>;
  /** --alert-rules=N: ingest without and with N active rules, alternating */
  alerts: Partial<Record<Dialect, AlertCost>>;
  reads: Partial<Record<Dialect, ReadsResult>>;
  browser: BrowserResult | null;
  export: Partial<Record<Dialect, ExportResult>>;
  notes: string[];
}

/** PostgreSQL as in production for the growth run: durable (fsync on), the issue's 1 GB of shared buffers; --pg-setting overrides. */
const GROWTH_PG_SETTINGS: Record<string, string> = {
  fsync: "on",
  shared_buffers: "1GB",
  ...Object.fromEntries(args.filter((a) => a.startsWith("--pg-setting=")).map((a) => {
    const [k, ...v] = a.slice(13).split("=");
    return [k, v.join("=")];
  })),
};

async function growth(records: number) {
  const started = performance.now();
  const windows = Number(option("windows") ?? 10);
  // 120 days: the store spans four months, so PostgreSQL's month partitions are made and filled as in a real deployment
  const spanDays = Number(option("span-days") ?? 120);
  // A fleet of 1,000 agents: each batch of 1,000 holds one record of each (the per-agent work of a batch at its largest).
  const agents = Number(option("agents") ?? 1000);
  const dialects: Dialect[] = [];
  if (!args.includes("--no-sqlite")) dialects.push("sqlite");
  if (!args.includes("--no-postgres") && Databases.postgresAvailable()) dialects.push("postgresql");
  await ensureBuild(args.includes("--rebuild"));
  const file = "bench-results.json";
  const svg = `docs/performance-growth.svg`;
  const machine = { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version };
  // A run of one database keeps the other's curve from an earlier run of the same size (each takes about an hour at 10M).
  const previous = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { growth?: { records: number; results: GrowthResult[] } }) : {};
  const kept = previous.growth?.records === records ? previous.growth.results.filter((r) => !dialects.includes(r.dialect)) : [];
  const results: GrowthResult[] = [];
  // Written after every window, so a run stopped part-way keeps the windows it measured.
  const save = (current: GrowthResult[]) => {
    const all = [...kept, ...current].sort((a, b) => a.dialect.localeCompare(b.dialect));
    writeFileSync(file, JSON.stringify({ ...previous, growth: { date: new Date().toISOString(), machine, records, windows, span_days: spanDays, results: all } }, null, 2) + "\n");
    writeFileSync(svg, growthSvg(all, `Ingest as the store grows to ${records.toLocaleString("en-US")} records (${machine.cpus} cores, ${new Date().toISOString().slice(0, 10)})`));
    return all;
  };
  const dbs = new Databases(GROWTH_PG_SETTINGS);
  try {
    for (const d of dialects) {
      console.log(`[bench] growth on ${d}: ${records.toLocaleString("en-US")} records in ${windows} windows, ts spanning ${spanDays} days ...`);
      results.push(await benchGrowth(d, dbs, {
        records, windows, batch: 1000, clients: 4, agents, port, servers: d === "postgresql" ? 2 : 1, samples: 10, spanDays, hold: args.includes("--hold"),
        onStep: (partial) => save([...results, partial]),
      }, d === "postgresql" ? GROWTH_PG_SETTINGS : {}));
    }
  } finally {
    await dbs.close();
  }
  const all = save(results);
  for (const r of all) {
    console.log(`\n${r.dialect}${r.servers > 1 ? ` (${r.servers} servers)` : ""}: last window / first = ${r.last_over_first} (target ≥ 0.75); stored ${r.stored_rows?.toLocaleString("en-US") ?? "?"} of ${r.sent.toLocaleString("en-US")}, leaks ${r.stored_leaks ?? "?"} of ${r.expected_leaks ?? "?"}`);
    console.log("stored       rec/s   agents p50  first page p50  leaks-only p50  DB MB  RSS MB");
    const p50 = (reads: GrowthStep["reads"], k: string) => { const e = reads[k]; return "p50_ms" in e ? `${e.p50_ms} ms` : "—"; };
    for (const s of r.steps) {
      console.log(`${s.stored.toLocaleString("en-US").padEnd(12)} ${String(s.records_per_s).padStart(6)}   ${p50(s.reads, "agents_list").padEnd(11)} ${p50(s.reads, "timeline_first_page").padEnd(15)} ${p50(s.reads, "timeline_leaks_only").padEnd(15)} ${String(s.database_mb).padEnd(6)} ${s.rss_mb.join(", ")}`);
      if (s.reads_idle) console.log(`  idle (after ${s.idle_wait_s} s)     ${p50(s.reads_idle, "agents_list").padEnd(11)} ${p50(s.reads_idle, "timeline_first_page").padEnd(15)} ${p50(s.reads_idle, "timeline_leaks_only")}`);
    }
  }
  console.log(`[bench] growth done in ${Math.round((performance.now() - started) / 1000)} s; wrote ${file} (growth) and ${svg}`);
}

async function main() {
  const growthTo = option("growth");
  if (growthTo) return growth(Number(growthTo));
  const started = performance.now();
  const results: BenchResults = {
    date: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    sizes: SIZES,
    ingest: {},
    alerts: {},
    reads: {},
    browser: null,
    export: {},
    notes: [],
  };
  const dialects: Dialect[] = ["sqlite"];
  if (args.includes("--no-postgres")) results.notes.push("PostgreSQL skipped (--no-postgres)");
  else if (Databases.postgresAvailable()) dialects.push("postgresql");
  else results.notes.push("PostgreSQL skipped: no server binaries (apt-get install postgresql)");

  if (only.some((o) => o !== "export")) await ensureBuild(args.includes("--rebuild")); // the export runs the CLI, no server
  const dbs = new Databases();
  try {
    if (only.includes("ingest")) {
      for (const d of dialects) {
        const opts = { records: SIZES.ingestRecords, batch: 1000, clients: 4, agents: 50, port };
        if (!alertRules) {
          console.log(`[bench] ingest on ${d}: ${SIZES.ingestRecords} records ...`);
          results.ingest[d] = await benchIngest(d, dbs, opts);
          continue;
        }
        // The outbox's cost: runs without and with the rules alternate, so a machine that
        // slows down or speeds up during the run weighs on both alike; medians compared.
        const without: IngestResult[] = [];
        const withRules: IngestResult[] = [];
        for (let round = 0; round < ALERT_ROUNDS; round++) {
          console.log(`[bench] ingest on ${d}: ${SIZES.ingestRecords} records, round ${round + 1} of ${ALERT_ROUNDS}, without and with ${alertRules} alert rules ...`);
          without.push(await benchIngest(d, dbs, opts));
          withRules.push(await benchIngest(d, dbs, { ...opts, alertRules }));
        }
        results.ingest[d] = medianRun(without);
        results.alerts[d] = {
          rules: alertRules,
          without_records_per_s: without.map((r) => r.records_per_s),
          with_records_per_s: withRules.map((r) => r.records_per_s),
          messages_received: withRules.map((r) => r.alert_messages),
          without_cpu_ms_per_1000: without.map((r) => r.server_cpu_ms_per_1000),
          with_cpu_ms_per_1000: withRules.map((r) => r.server_cpu_ms_per_1000),
          without_main_thread_cpu_ms_per_1000: without.map((r) => r.server_main_thread_cpu_ms_per_1000),
          with_main_thread_cpu_ms_per_1000: withRules.map((r) => r.server_main_thread_cpu_ms_per_1000),
          ratio: ratio(medianRun(withRules).records_per_s, medianRun(without).records_per_s),
        };
      }
    }
    if (only.includes("reads") || only.includes("browser")) {
      const reads = await benchReads(dialects, dbs, { rows: SIZES.readRows, heavyAgentEvents: SIZES.heavyAgentEvents, samples: SIZES.samples, port, browser: only.includes("browser") ? benchBrowser : null });
      results.reads = reads.reads;
      results.browser = reads.browser;
      results.notes.push(...reads.notes);
    }
    if (only.includes("export")) {
      // SQLite only unless asked: filling 1,000,000 records takes minutes per database.
      for (const d of args.includes("--export-postgres") ? dialects : (["sqlite"] as Dialect[])) {
        console.log(`[bench] export on ${d}: ${exportRecords} records ...`);
        results.export[d] = await benchExport(d, dbs, { records: exportRecords });
      }
    }
  } finally {
    await dbs.close();
  }
  writeFileSync("bench-results.json", JSON.stringify(results, null, 2) + "\n");
  printTable(results);
  console.log(`[bench] done in ${Math.round((performance.now() - started) / 1000)} s; wrote bench-results.json`);
}

main().catch((e) => {
  console.error(`[bench] failed: ${(e as Error).stack ?? e}`);
  process.exit(1);
});
