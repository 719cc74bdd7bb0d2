// `verdict import <source>`: the recorder's PostgreSQL, or a file (NDJSON / JSON / CSV).
import { importPostgres } from "../importers/postgres";
import { importFile, type FileFormat } from "../importers/files";
import { progressReporter } from "../importers/progress";
import { formatRejection, type ImportTotals, type Rejection } from "../importers/sink";
import { getDb } from "../db/client";
import { storedLlmHosts } from "../db/queries/settings";
import { normalizeLlmHosts } from "../analysis/classify-call";
import { stopAfterCurrentBatch } from "./interrupt";
import { asksForHelp, readArgs } from "./args";
import { setting } from "../config/server-env";

/**
 * The importer classifies with the LLM host list stored with the data, as the server does.
 * A different VERDICT_LLM_HOSTS in the importer's shell would mean the user expects another
 * classification than the one they would get: refuse, and say how to make them agree.
 */
export async function classificationProblem(env: NodeJS.ProcessEnv = process.env): Promise<{ problem: string | null; stored: string }> {
  const h = getDb();
  const stored = await storedLlmHosts(h);
  const hosts = setting("VERDICT_LLM_HOSTS", env);
  if (hosts === undefined || normalizeLlmHosts(hosts) === stored) return { problem: null, stored };
  return {
    stored,
    problem:
      `VERDICT_LLM_HOSTS here is "${normalizeLlmHosts(hosts)}", but the records stored in this database are classified with "${stored}" ` +
      `(the list the server last started with). Importing now would classify these records differently from the API. ` +
      `Unset VERDICT_LLM_HOSTS to import with the stored list, or make the new list the stored one for every record with ` +
      `\`VERDICT_LLM_HOSTS="${normalizeLlmHosts(hosts)}" npx verdict reclassify\` (and start the server with it).`,
  };
}

export const IMPORT_HELP = `verdict import <source> [options] — bring existing records into Verdict

Sources:
  postgres://user@host/db   the recorder's PostgreSQL: provably_intercepts (generation A),
                            intercepts (generation B), traces + trace_intercepts (handoffs).
                            Read only; never writes to it.
  <file>.ndjson | .jsonl    wire records, one JSON record per line ("-" reads stdin)
  <file>.json               {"records": [...]} or an array of records
  <file>.csv                a CSV export of the intercept table:
                            \\copy provably_intercepts TO 'intercepts.csv' CSV HEADER

Options:
  --source NAME     the records' source (default "default"; file records that name
                    one keep it)
  --batch-size N    rows per batch and per transaction, 1..5000 (default 1000)
  --follow          PostgreSQL: keep polling for new rows until Ctrl-C
  --interval S      seconds between polls with --follow (default 5)
  --format F        ndjson | json | csv, when the file name does not say
  --source-time-zone Z
                    PostgreSQL: the zone sourcerykit's NOW() wrote created_at in
                    (generation B's timestamp columns have none); default: the
                    database's own TimeZone setting, e.g. Europe/Oslo

Re-running an import is safe: records already stored count as duplicates.
Ctrl-C stops after the current batch; run the same command again to resume.`;

export interface ImportArgs {
  target: string;
  source?: string;
  batchSize: number;
  follow: boolean;
  intervalMs: number;
  format?: FileFormat;
  sourceTimeZone?: string;
}

/** Parses the arguments after `import`; returns an error sentence when they are wrong. */
export function parseImportArgs(args: string[]): ImportArgs | { error: string } | { help: true } {
  if (asksForHelp(args)) return { help: true };
  const r = readArgs(args, {
    follow: { type: "boolean" },
    source: { type: "string" },
    "batch-size": { type: "string" },
    interval: { type: "string" },
    "source-time-zone": { type: "string" },
    format: { type: "string" },
  });
  if ("error" in r && !r.option) return { error: r.error };
  // An option given without its value gets the same sentence as a wrong value.
  const v: Partial<Record<string, string | boolean>> & { follow?: boolean; source?: string; "batch-size"?: string; interval?: string; "source-time-zone"?: string; format?: string } =
    "values" in r ? r.values : { [r.option!.slice(2)]: "" };
  const out: ImportArgs = { target: "", batchSize: 1000, follow: v.follow === true, intervalMs: 5000 };
  if (v.source !== undefined) {
    if (!v.source || v.source.length > 200) return { error: "--source needs a name of 1 to 200 characters" };
    out.source = v.source;
  }
  if (v["batch-size"] !== undefined) {
    const n = v["batch-size"] === "" ? NaN : Number(v["batch-size"]);
    if (!Number.isInteger(n) || n < 1 || n > 5000) return { error: "--batch-size must be a whole number from 1 to 5000" };
    out.batchSize = n;
  }
  if (v.interval !== undefined) {
    const s = v.interval === "" ? NaN : Number(v.interval);
    if (!Number.isFinite(s) || s < 0.1 || s > 86400) return { error: "--interval must be a number of seconds from 0.1 to 86400" };
    out.intervalMs = Math.round(s * 1000);
  }
  if (v["source-time-zone"] !== undefined) {
    const z = v["source-time-zone"];
    if (!z || z.length > 100) return { error: "--source-time-zone needs a zone name such as Europe/Oslo or UTC" };
    out.sourceTimeZone = z;
  }
  if (v.format !== undefined) {
    const f = v.format;
    if (f !== "ndjson" && f !== "json" && f !== "csv") return { error: "--format must be ndjson, json or csv" };
    out.format = f;
  }
  if ("error" in r) return { error: r.error };
  const targets = r.positionals;
  if (targets.length > 1) return { error: `one source at a time (got ${targets[0]} and ${targets[1]})` };
  if (!targets[0]) return { error: "name what to import: a postgres:// URL or a file" };
  out.target = targets[0];
  const isPostgres = /^postgres(ql)?:\/\//i.test(out.target);
  if (out.follow && !isPostgres) return { error: "--follow works with a postgres:// source only" };
  if (out.sourceTimeZone && !isPostgres) return { error: "--source-time-zone works with a postgres:// source only" };
  return out;
}

const summary = (t: ImportTotals, stopped: boolean) =>
  `${stopped ? "Stopped" : "Imported"}: ${t.read.toLocaleString("en-US")} read, ${t.accepted.toLocaleString("en-US")} new, ` +
  `${t.duplicates.toLocaleString("en-US")} already stored, ${t.rejected.toLocaleString("en-US")} rejected.` +
  (stopped ? " Run the same command again to resume." : "");

/** Redacts the password of a connection URL before it is shown. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "the PostgreSQL database";
  }
}

export async function importCommand(args: string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(s + "\n")): Promise<number> {
  const parsed = parseImportArgs(args);
  if ("help" in parsed) {
    out(IMPORT_HELP);
    return 0;
  }
  if ("error" in parsed) {
    err(`verdict import: ${parsed.error}\n\n${IMPORT_HELP}`);
    return 2;
  }
  const classification = await classificationProblem();
  if (classification.problem) {
    err(`verdict import: ${classification.problem}`);
    return 2;
  }
  if (classification.stored) err(`Classifying with the stored LLM host list: ${classification.stored}`);
  const interrupt = stopAfterCurrentBatch(err);
  let rejectedShown = 0;
  const onRejected = (r: Rejection) => {
    // The first hundred are listed; the count says how many there were in all.
    if (rejectedShown++ < 100) err(`rejected ${formatRejection(r)}`);
  };
  const progress = progressReporter(process.stderr);
  try {
    if (/^postgres(ql)?:\/\//i.test(parsed.target)) {
      let following = false;
      const r = await importPostgres({
        url: parsed.target,
        source: parsed.source ?? "default",
        batchSize: parsed.batchSize,
        follow: parsed.follow,
        intervalMs: parsed.intervalMs,
        sourceTimeZone: parsed.sourceTimeZone,
        signal: interrupt.signal,
        onRejected,
        log: err,
        onStart: (tables, total) => {
          err(`Importing ${tables.map((t) => t.name).join(", ")} from ${displayUrl(parsed.target)} (${total.toLocaleString("en-US")} rows)`);
          progress.update(0, total);
        },
        onProgress: (t) => {
          if (!following) progress.update(t.read);
        },
        onCaughtUp: (n) => {
          if (!following) {
            progress.finish();
            err(`Caught up. Following new rows every ${parsed.intervalMs / 1000} s; Ctrl-C stops.`);
            following = true;
          } else if (n) err(`+${n} rows`);
        },
      });
      if (!following) progress.finish();
      out(summary(r, r.stopped));
      return r.rejected ? 1 : 0;
    }
    const r = await importFile({
      path: parsed.target,
      format: parsed.format,
      source: parsed.source,
      batchSize: parsed.batchSize,
      signal: interrupt.signal,
      onRejected,
      onBatch: (t) => progress.update(t.read, null),
    });
    progress.finish();
    out(summary(r, r.stopped));
    if (rejectedShown > 100) err(`(${rejectedShown - 100} more rejected records not listed)`);
    return r.rejected ? 1 : 0;
  } finally {
    interrupt.release();
  }
}
