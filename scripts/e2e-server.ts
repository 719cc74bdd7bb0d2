// Serves the production build on a fresh SQLite file with the demo data, for Playwright.
import { mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

process.env.DATABASE_URL = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "verdict-e2e-")), "verdict.db")}`;
process.env.HOST = "127.0.0.1";
console.log(`[e2e] database ${process.env.DATABASE_URL}`);
await import("./demo");
