// Serves the production build on a fresh SQLite file with the demo data, for Playwright.
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.DATABASE_URL = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "verdict-e2e-")), "verdict.db")}`;
process.env.HOST = "127.0.0.1";
console.log(`[e2e] database ${process.env.DATABASE_URL}`);
// The newcomer spec runs `npx verdict keys create` against this server's database, as the README says.
writeFileSync(path.join(os.tmpdir(), `verdict-e2e-database-${process.env.PORT}`), process.env.DATABASE_URL);
await import("./demo");
