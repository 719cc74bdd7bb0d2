// Import progress on stderr: a redrawn bar with rows/s and an ETA when stderr is a terminal,
// otherwise a plain line every few seconds (logs and CI stay readable).

export interface ProgressState {
  done: number;
  /** null when unknown (following new rows) */
  total: number | null;
  elapsedMs: number;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "--:--";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  const mm = String(m).padStart(2, "0"), ss = String(r).padStart(2, "0");
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

export function rate(p: ProgressState): number {
  return p.elapsedMs > 0 ? (p.done * 1000) / p.elapsedMs : 0;
}

/** "[########------------]  1,234/5,000 rows  812 rows/s  ETA 00:05" */
export function formatProgress(p: ProgressState, width = 24): string {
  const r = rate(p);
  const perSecond = `${Math.round(r).toLocaleString("en-US")} rows/s`;
  if (p.total === null) return `${p.done.toLocaleString("en-US")} rows  ${perSecond}`;
  const total = Math.max(p.total, p.done);
  const fraction = total === 0 ? 1 : p.done / total;
  const filled = Math.round(fraction * width);
  const eta = r > 0 ? formatDuration((total - p.done) / r) : "--:--";
  return `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${p.done.toLocaleString("en-US")}/${total.toLocaleString("en-US")} rows  ${perSecond}  ETA ${eta}`;
}

export interface ProgressReporter {
  update(done: number, total?: number | null): void;
  /** ends the bar's line */
  finish(): void;
}

export function progressReporter(
  stream: { write(s: string): unknown; isTTY?: boolean } = process.stderr,
  options: { plainEveryMs?: number; now?: () => number } = {},
): ProgressReporter {
  const now = options.now ?? Date.now;
  const every = options.plainEveryMs ?? 5000;
  const start = now();
  let lastPlain = start;
  let total: number | null = null;
  let done = 0;
  return {
    update(d, t) {
      done = d;
      if (t !== undefined) total = t;
      const line = formatProgress({ done, total, elapsedMs: now() - start });
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${line}`);
      } else if (now() - lastPlain >= every) {
        lastPlain = now();
        stream.write(`${line}\n`);
      }
    },
    finish() {
      const line = formatProgress({ done, total, elapsedMs: now() - start });
      stream.write(stream.isTTY ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
  };
}
