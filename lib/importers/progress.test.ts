import { describe, expect, it } from "vitest";
import { formatDuration, formatProgress, progressReporter } from "./progress";

describe("progress", () => {
  it("shows a bar, rows/s and an ETA", () => {
    expect(formatProgress({ done: 500, total: 2000, elapsedMs: 2000 }, 8)).toBe("[##------] 500/2,000 rows  250 rows/s  ETA 00:06");
    expect(formatProgress({ done: 0, total: 10, elapsedMs: 0 }, 4)).toBe("[----] 0/10 rows  0 rows/s  ETA --:--");
    expect(formatProgress({ done: 30, total: null, elapsedMs: 1000 })).toBe("30 rows  30 rows/s");
    expect(formatDuration(3725)).toBe("1:02:05");
  });

  it("redraws one line on a terminal, and writes plain lines now and then elsewhere", () => {
    let t = 0;
    const tty: string[] = [];
    const bar = progressReporter({ isTTY: true, write: (s) => tty.push(s) }, { now: () => t });
    t = 1000;
    bar.update(10, 100);
    bar.finish();
    expect(tty[0]).toMatch(/^\r\x1b\[2K\[.*\] 10\/100 rows  10 rows\/s/);
    expect(tty[1].endsWith("\n")).toBe(true);
    const plain: string[] = [];
    const log = progressReporter({ isTTY: false, write: (s) => plain.push(s) }, { now: () => t, plainEveryMs: 5000 });
    t = 2000;
    log.update(1, 10);
    t = 7000;
    log.update(2, 10);
    expect(plain).toEqual([expect.stringMatching(/^\[.*\] 2\/10 rows .*\n$/)]);
  });
});
