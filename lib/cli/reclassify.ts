// `verdict reclassify`: makes the stored calls agree with the LLM host list stored with the
// data — after a deployment adds its LLM gateway host, say.
import { getDb } from "../db/client";
import { reclassifyAll } from "../ingest/reclassify";
import { storedLlmHosts } from "../db/queries/settings";
import { setLlmHosts } from "../ingest/classification-config";
import { progressReporter } from "../importers/progress";
import { stopAfterCurrentBatch } from "./interrupt";
import { asksForHelp, readArgs } from "./args";
import { setting } from "../config/server-env";

export const RECLASSIFY_HELP = `verdict reclassify [options] — re-classify stored calls (LLM / tool / untagged)

Classifies every stored intercept again with the LLM host list, re-links tag leaks,
re-checks the handoffs that rest on changed calls and keeps the agents' counts exact;
then recounts blocked tool calls. Batch by batch (each batch one transaction), so the
server may keep running; Ctrl-C stops after the current batch, and running it again
picks up the rest.

The list: --llm-hosts, else VERDICT_LLM_HOSTS, else the one stored with the data (the
server stores its VERDICT_LLM_HOSTS at start). A new list is stored first, so the server
and the importer classify new records with it too; start the server with the same
VERDICT_LLM_HOSTS, or it will store its own list again at its next start.

Options:
  --llm-hosts LIST  comma-separated host, *.suffix or host/path-prefix entries
                    (as VERDICT_LLM_HOSTS); "" for none
  --batch-size N    calls per batch, 100..50000 (default 5000)`;

export async function reclassifyCommand(args: string[], out: (s: string) => void, err: (s: string) => void = (s) => process.stderr.write(s + "\n")): Promise<number> {
  if (asksForHelp(args)) {
    out(RECLASSIFY_HELP);
    return 0;
  }
  const r = readArgs(args, { "llm-hosts": { type: "string" }, "batch-size": { type: "string" } });
  if ("error" in r) {
    if (r.option === "--llm-hosts") return usage(err, "--llm-hosts needs a list (\"\" for none)");
    if (r.option === "--batch-size") return usage(err, "--batch-size must be a whole number from 100 to 50000");
    return usage(err, r.error);
  }
  if (r.positionals.length) return usage(err, `unknown option ${r.positionals[0]}`);
  const list: string | undefined = r.values["llm-hosts"] ?? setting("VERDICT_LLM_HOSTS");
  let batchSize = 5000;
  if (r.values["batch-size"] !== undefined) {
    const n = r.values["batch-size"] === "" ? NaN : Number(r.values["batch-size"]);
    if (!Number.isInteger(n) || n < 100 || n > 50_000) return usage(err, "--batch-size must be a whole number from 100 to 50000");
    batchSize = n;
  }
  const h = getDb();
  const hosts = list === undefined ? { value: await storedLlmHosts(h), changed: false, previous: "" } : await setLlmHosts(h, list);
  err(hosts.changed ? `LLM host list: "${hosts.previous}" -> "${hosts.value}" (stored)` : `LLM host list: "${hosts.value}"`);

  const interrupt = stopAfterCurrentBatch(err);
  let phase = "";
  let progress = progressReporter(process.stderr);
  try {
    const r = await reclassifyAll(h, {
      batchSize,
      signal: interrupt.signal,
      onProgress: (p) => {
        if (p.phase !== phase) {
          if (phase) progress.finish();
          phase = p.phase;
          err(`Checking ${p.phase}…`);
          progress = progressReporter(process.stderr);
        }
        progress.update(p.done, p.total);
      },
    });
    if (phase) progress.finish();
    const kinds = Object.entries(r.becameKind).map(([k, n]) => `${n.toLocaleString("en-US")} now ${k}`).join(", ");
    out(
      `${interrupt.signal.aborted ? "Stopped" : "Reclassified"}: ${r.checked.toLocaleString("en-US")} calls checked, ${r.changed.toLocaleString("en-US")} changed${kinds ? ` (${kinds})` : ""}; ` +
        `${r.decisionsChecked.toLocaleString("en-US")} policy decisions checked, ${r.blockMarksChanged.toLocaleString("en-US")} blocked-call marks changed.` +
        (interrupt.signal.aborted ? " Run it again to finish." : ""),
    );
    return 0;
  } finally {
    interrupt.release();
  }
}

function usage(err: (s: string) => void, message: string): number {
  err(`verdict reclassify: ${message}\n\n${RECLASSIFY_HELP}`);
  return 2;
}
