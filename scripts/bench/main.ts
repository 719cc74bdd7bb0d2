// `npm run bench [-- --quick] [--no-postgres] [--rebuild] [--only=ingest,reads,browser,export] [--alert-rules=N] [--export-records=N]`
// Measures Verdict on a fresh database against the raw speed of the storage itself, prints
// a table and writes bench-results.json. Not a test: no thresholds, the targets are
// printed beside the numbers.
import { writeFileSync } from "node:fs";
import os from "node:os";
import type { Dialect } from "../../lib/db/config";
import { Databases } from "./databases";
import { benchIngest, type IngestResult } from "./ingest";
import { benchReads, type ReadsResult } from "./reads";
import { benchBrowser, type BrowserResult } from "./browser";
import { benchExport, type ExportResult } from "./export";
import { ensureBuild } from "./server";
import { printTable } from "./report";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const only = (args.find((a) => a.startsWith("--only="))?.slice(7).split(",") ?? ["ingest", "reads", "browser", "export"]) as string[];
// The export bundle's scale test: 1,000,000 records in either mode (the figure the issue asks for).
const exportRecords = Number(args.find((a) => a.startsWith("--export-records="))?.slice(17) ?? 1_000_000);
const port = Number(process.env.BENCH_PORT ?? 3206);
// Ingest with N active alert rules (every event kind, to a loopback receiver): the outbox's cost.
const alertRules = Number(args.find((a) => a.startsWith("--alert-rules="))?.slice(14) ?? 0);

export const SIZES = quick
  ? { ingestRecords: 20_000, readRows: 100_000, heavyAgentEvents: 20_000, samples: 20 }
  : { ingestRecords: 200_000, readRows: 1_000_000, heavyAgentEvents: 100_000, samples: 100 };

export interface BenchResults {
  date: string;
  mode: "quick" | "full";
  machine: { cpus: number; cpu: string; memory_gb: number; node: string; platform: string };
  sizes: typeof SIZES;
  ingest: Partial<Record<Dialect, IngestResult>>;
  reads: Partial<Record<Dialect, ReadsResult>>;
  browser: BrowserResult | null;
  export: Partial<Record<Dialect, ExportResult>>;
  notes: string[];
}

async function main() {
  const started = performance.now();
  const results: BenchResults = {
    date: new Date().toISOString(),
    mode: quick ? "quick" : "full",
    machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model ?? "?", memory_gb: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.platform()} ${os.release()}` },
    sizes: SIZES,
    ingest: {},
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
        console.log(`[bench] ingest on ${d}: ${SIZES.ingestRecords} records, ${alertRules} alert rules ...`);
        results.ingest[d] = await benchIngest(d, dbs, { records: SIZES.ingestRecords, batch: 1000, clients: 4, agents: 50, port, alertRules });
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
