// How the Verdict server's Node is run, in one place for `npm start`, the benchmark and the
// tests' server processes, so all three measure and test the same thing.

/**
 * NODE_OPTIONS for the server:
 * - a 64 MB young-generation semi-space. Ingest turns each 1 MB request into many
 *   short-lived strings and objects; with V8's default 16 MB the scavenger runs several
 *   times per batch (measured: 108 → 92 ms of CPU per 1,000 records on SQLite, +12% records/s).
 * - a 768 MB old generation. V8 otherwise lets the heap grow towards a limit derived from
 *   the machine's memory (about 4 GB here) before collecting in earnest: one 10 MiB ingest
 *   after another took the process from 130 to 440 MB and rising with ~100 MB live. With
 *   the limit it levels off, and 48 parallel 10 MiB bodies stay under 1 GB of RSS
 *   (tests/integration/server-lifecycle.test.ts). Live memory stays far below it: at most
 *   VERDICT_INGEST_CONCURRENCY bodies are held at once.
 * An explicit setting of either wins.
 */
export function serverNodeOptions(existing = ""): string {
  let options = existing.trim();
  if (!options.includes("--max-semi-space-size")) options = `${options} --max-semi-space-size=64`;
  if (!options.includes("--max-old-space-size")) options = `${options} --max-old-space-size=768`;
  return options.trim();
}
