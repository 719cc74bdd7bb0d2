// Runs once when a Verdict server process starts: the alert delivery loop lives here, in the
// Node.js runtime only (never at build time or in the edge runtime).
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startAlertLoop } = await import("./lib/alerts/delivery-loop");
  startAlertLoop();
}
