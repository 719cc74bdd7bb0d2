import { defineConfig } from "@playwright/test";
import os from "node:os";
import path from "node:path";

// The e2e server: a production build on a fresh SQLite file with the demo data loaded.
// E2E_PORT and NEXT_DIST_DIR let several runs share a machine.
const port = Number(process.env.E2E_PORT ?? 3107);
export const E2E_API_KEY = "e2e-api-key-not-secret";
// A second server with sign-in required, for e2e/sign-in.spec.ts.
export const SIGN_IN_PORT = port + 1;
export const E2E_ADMIN_PASSWORD = "e2e-admin-password";
// Tests move the server's clock for share-link expiry by writing an offset (ms) here.
export const E2E_CLOCK_FILE = path.join(os.tmpdir(), `verdict-e2e-clock-${port}`);

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    browserName: "chromium",
    headless: true,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
    trace: "off",
  },
  webServer: [
    {
      command: "npx tsx scripts/e2e-server.ts",
      url: `http://127.0.0.1:${port}/api/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      // VERDICT_WEBHOOKS_ALLOW_HTTP: e2e/zz-alerts.spec.ts receives alerts on loopback.
      env: { PORT: String(port), VERDICT_API_KEY: E2E_API_KEY, VERDICT_CLOCK_FILE: E2E_CLOCK_FILE, VERDICT_WEBHOOKS_ALLOW_HTTP: "1" },
      stdout: "pipe",
      stderr: "pipe",
    },
    {
      command: "npx tsx scripts/e2e-server.ts",
      url: `http://127.0.0.1:${port + 1}/api/health`,
      reuseExistingServer: false,
      timeout: 180_000,
      env: { PORT: String(port + 1), VERDICT_API_KEY: E2E_API_KEY, VERDICT_ADMIN_PASSWORD: E2E_ADMIN_PASSWORD },
      stdout: "pipe",
      stderr: "pipe",
    },
  ],
});
