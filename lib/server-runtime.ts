// How the Verdict server's Node is run, in one place for `npm start`, the benchmark and the
// tests' server processes, so all three measure and test the same thing.

/**
 * NODE_OPTIONS for the server: a 64 MB young-generation semi-space. Ingest turns each 1 MB
 * request into many short-lived strings and objects; with V8's default 16 MB the scavenger
 * runs several times per batch (measured: 108 → 92 ms of CPU per 1,000 records on SQLite,
 * +12% records/s). Costs at most a few hundred MB of memory. An explicit setting wins.
 */
export function serverNodeOptions(existing = ""): string {
  if (existing.includes("--max-semi-space-size")) return existing;
  return `${existing} --max-semi-space-size=64`.trim();
}
