// Runs once when a Verdict server process starts, however it is started (`npm start`,
// `next start`, the tests' servers): refuses a bad VERDICT_* setting before serving anything,
// installs the hook that tells the app each request's real peer address, and starts the alert
// delivery loop, the retention job, the PostgreSQL settings check and (PostgreSQL) the making of intercept partitions ahead (Node.js runtime only: never at build time or in the edge runtime).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { serverEnv, ServerConfigError } = await import("./lib/config/server-env");
  try {
    serverEnv();
  } catch (e) {
    if (!(e instanceof ServerConfigError)) throw e;
    console.error(`[verdict] ${e.message}`);
    process.exit(1);
  }
  // The evidence signing key: created on the first start (outside the database), refused if unreadable.
  const { signingKey, SigningKeyError } = await import("./lib/evidence/signing-key");
  try {
    signingKey();
  } catch (e) {
    if (!(e instanceof SigningKeyError)) throw e;
    console.error(`[verdict] Verdict cannot start: ${e.message}.`);
    process.exit(1);
  }
  const { installPeerAddressHook } = await import("./lib/http/peer-address");
  await installPeerAddressHook();
  const { startAlertLoop } = await import("./lib/alerts/delivery-loop");
  startAlertLoop();
  const { startRetentionLoop } = await import("./lib/retention/service");
  startRetentionLoop();
  // PostgreSQL settings below what Verdict needs for its size: one warning block in the log,
  // once per process, without holding up the start (lib/startup/postgres-check.ts).
  const { checkPostgresSettingsOnce } = await import("./lib/startup/postgres-check");
  void checkPostgresSettingsOnce();
  const { startPartitionLoop } = await import("./lib/ingest/partitions");
  startPartitionLoop();
}
