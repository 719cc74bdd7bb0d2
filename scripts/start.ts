// `npm start`: applies migrations to the database (creating it when empty), then serves.
// Honours PORT, DATABASE_URL, VERDICT_API_KEY. Without VERDICT_ADMIN_PASSWORD it listens
// on 127.0.0.1 only, since pages and reads are then open to whoever can reach it.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { databaseConfig } from "../lib/db/config";
import { migrate } from "../lib/ingest/migrate";
import { serverNodeOptions } from "../lib/server-runtime";
import { serverEnv, setting, ServerConfigError } from "../lib/config/server-env";
import { getDb } from "../lib/db/client";
import { reclassifyHint, syncLlmHostsFromEnv } from "../lib/ingest/classification-config";

// Next.js would otherwise print its telemetry notice and report usage: Verdict is self-hosted
// evidence storage and sends nothing anywhere unless its operator says so.
process.env.NEXT_TELEMETRY_DISABLED ??= "1";

async function main() {
  const dev = process.argv.includes("--dev");
  serverEnv(); // a bad VERDICT_* value stops here, naming the variable, before anything is touched
  const config = databaseConfig();
  const applied = await migrate(config);
  const where = config.dialect === "sqlite" ? `SQLite file ${config.url}` : "PostgreSQL";
  console.log(`[verdict] database: ${where}${applied.length ? ` (applied ${applied.join(", ")})` : " (up to date)"}`);
  // The LLM host list is stored with the data; the server classifies with it from here on.
  const { db, dialect } = getDb();
  const hosts = await syncLlmHostsFromEnv({ db, dialect });
  await db.$disconnect();
  if (hosts.changed) console.log(`[verdict] ${reclassifyHint(hosts)}`);
  if (hosts.value) console.log(`[verdict] extra LLM hosts: ${hosts.value}`);
  process.env.VERDICT_LLM_HOSTS = hosts.value;
  const port = process.env.PORT || "3000";
  const open = !!setting("VERDICT_ADMIN_PASSWORD");
  const host = process.env.HOST || (open ? "0.0.0.0" : "127.0.0.1");
  if (!open) console.log(`[verdict] VERDICT_ADMIN_PASSWORD is not set: listening on ${host} only; pages and reads need no sign-in.`);
  if (!setting("VERDICT_API_KEY")) console.log("[verdict] VERDICT_API_KEY is not set: create an ingest key with `npx verdict keys create`.");
  const distDir = process.env.NEXT_DIST_DIR || ".next";
  if (!dev && !existsSync(`${distDir}/BUILD_ID`)) {
    console.log("[verdict] no production build yet: building (once) ...");
    await run(NEXT_BIN, ["build"]);
  }
  console.log(`[verdict] open http://${host === "0.0.0.0" ? "localhost" : host}:${port}`);
  process.env.NODE_OPTIONS = serverNodeOptions(process.env.NODE_OPTIONS);
  await run(NEXT_BIN, [dev ? "dev" : "start", "-p", port, "-H", host]);
}

// Next.js's own entry, run with this Node: no npx in between to lose signals or exit codes.
const NEXT_BIN = path.resolve(import.meta.dirname, "../node_modules/next/dist/bin/next");

let stopping: NodeJS.Signals | null = null;

/** Runs `next <args>`, passing SIGINT/SIGTERM on; a server that ends because we asked it to has ended cleanly. */
function run(bin: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { stdio: "inherit", env: process.env });
    const forward = (sig: NodeJS.Signals) => {
      stopping = sig;
      child.kill(sig);
    };
    process.on("SIGINT", forward);
    process.on("SIGTERM", forward);
    child.on("exit", (code, signal) => {
      process.off("SIGINT", forward);
      process.off("SIGTERM", forward);
      if (code === 0 || (stopping && (signal === stopping || code === 128 + (stopping === "SIGINT" ? 2 : 15)))) resolve();
      else reject(new Error(`next ${args.join(" ")} ${signal ? `ended by ${signal}` : `exited with ${code}`}`));
    });
  });
}

main()
  .then(() => process.exit(0))
  .catch((e) => {
    console.error(e instanceof ServerConfigError ? `[verdict] ${e.message}` : `[verdict] ${(e as Error).message}`);
    process.exit(1);
  });
