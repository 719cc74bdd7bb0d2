// Ctrl-C (or SIGTERM) in a batch command: the first finishes the batch in flight (it is one
// transaction) and stops; the second quits at once.
export function stopAfterCurrentBatch(err: (s: string) => void): { signal: AbortSignal; release(): void } {
  const controller = new AbortController();
  const onSignal = () => {
    if (controller.signal.aborted) process.exit(130);
    err("\nStopping after the current batch… (Ctrl-C again to quit at once)");
    controller.abort();
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    signal: controller.signal,
    release() {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}
