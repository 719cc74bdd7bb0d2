// What the start-up check asks of PostgreSQL's settings, on facts as pg_settings gives them
// (values in their own units: shared_buffers in 8kB pages, max_wal_size in MB, ...). The
// same check against real servers: tests/integration/postgres-settings.test.ts.
import { describe, expect, it } from "vitest";
import type { PostgresFacts } from "../db/queries/postgres-settings";
import { assessPostgresSettings, formatAllClear, formatSize, formatWarnings, settingBytes, settingSeconds } from "./postgres-settings";

const MB = 1024 * 1024;
const GB = 1024 * MB;

/** A stock PostgreSQL 15 (fsync on, defaults) with `idx` bytes of intercept indexes. */
function facts(idx: number | null, over: Partial<Record<string, [string, string | null]>> = {}, checkpoints = { timed: 3, requested: 1 }): PostgresFacts {
  const base: Record<string, [string, string | null]> = {
    fsync: ["on", null], full_page_writes: ["on", null], synchronous_commit: ["on", null],
    shared_buffers: ["16384", "8kB"], max_wal_size: ["1024", "MB"], checkpoint_timeout: ["300", "s"],
    autovacuum: ["on", null], track_counts: ["on", null], ...over,
  } as Record<string, [string, string | null]>;
  return {
    serverVersionNum: 150000,
    settings: Object.fromEntries(Object.entries(base).map(([k, [setting, unit]]) => [k, { setting, unit }])),
    interceptsIndexBytes: idx,
    interceptsTableBytes: idx === null ? null : idx * 2,
    writtenIndexBytes: idx,
    checkpoints: { ...checkpoints, since: "2026-12-02 01:00:00.123+00" },
  };
}
const named = (f: PostgresFacts) => assessPostgresSettings(f).map((w) => w.setting);

describe("units", () => {
  it("reads pg_settings values in their units", () => {
    expect(settingBytes("16384", "8kB")).toBe(128 * MB);
    expect(settingBytes("1024", "MB")).toBe(GB);
    expect(settingBytes("on", null)).toBeNaN();
    expect(settingSeconds("300", "s")).toBe(300);
    expect(settingSeconds("5", "min")).toBe(300);
    expect(formatSize(128 * MB)).toBe("128MB");
    expect(formatSize(4 * GB)).toBe("4GB");
    expect(formatSize(1536 * MB)).toBe("1536MB");
  });
});

describe("assessPostgresSettings", () => {
  it("is silent on a stock server with a small store, and before the schema exists", () => {
    expect(assessPostgresSettings(facts(10 * MB))).toEqual([]);
    expect(assessPostgresSettings(facts(null))).toEqual([]);
  });

  it("names fsync, full_page_writes and synchronous_commit off as a risk to the data", () => {
    const w = assessPostgresSettings(facts(MB, { fsync: ["off", null], full_page_writes: ["off", null], synchronous_commit: ["off", null] }));
    expect(w.map((x) => [x.setting, x.current, x.recommended, x.risk])).toEqual([
      ["fsync", "off", "on", "data"],
      ["full_page_writes", "off", "on", "data"],
      ["synchronous_commit", "off", "on", "data"],
    ]);
    // local / remote_write keep a crash from losing acknowledged batches on this server
    expect(named(facts(MB, { synchronous_commit: ["local", null] }))).toEqual([]);
  });

  it("asks shared_buffers for twice the intercepts indexes: the measured 3M-row case (1.6 GB of indexes, 1GB)", () => {
    const f = facts(1.6 * GB, { shared_buffers: ["131072", "8kB"], max_wal_size: ["1024", "MB"] });
    const w = assessPostgresSettings(f);
    expect(w.map((x) => [x.setting, x.current, x.recommended])).toEqual([
      ["shared_buffers", "1GB", "4GB or more"],
      ["max_wal_size", "1GB", "4GB or more"],
    ]);
    expect(w[0].why).toContain("1.6 GB");
    // following the advice silences it
    expect(named(facts(1.6 * GB, { shared_buffers: ["524288", "8kB"], max_wal_size: ["4096", "MB"] }))).toEqual([]);
  });

  it("with intercepts by month, weighs the indexes ingest writes into, not every month kept", () => {
    // A store of several months: 3.6 GB of intercept indexes in all, 1.3 GB in the newest months' partitions and the dedupe keys.
    const f = { ...facts(3.6 * GB, { shared_buffers: ["393216", "8kB"], max_wal_size: ["3072", "MB"] }), writtenIndexBytes: 1.3 * GB };
    expect(named(f)).toEqual([]);
    const low = assessPostgresSettings({ ...f, settings: { ...f.settings, shared_buffers: { setting: "131072", unit: "8kB" } } });
    expect(low.map((x) => [x.setting, x.current, x.recommended])).toEqual([["shared_buffers", "1GB", "3GB or more"]]);
    expect(low[0].why).toContain("the indexes ingest writes into are 1.3 GB now, of 3.6 GB of intercept indexes in all");
  });

  it("warns before the indexes outgrow shared_buffers, not after", () => {
    expect(named(facts(60 * MB))).toEqual([]);
    expect(named(facts(70 * MB))).toEqual(["shared_buffers"]); // 2 x 70 MB > 128 MB
  });

  it("names values below PostgreSQL's defaults whatever the size", () => {
    const w = assessPostgresSettings(facts(0, { shared_buffers: ["2048", "8kB"], max_wal_size: ["32", "MB"], checkpoint_timeout: ["30", "s"] }));
    expect(w.map((x) => [x.setting, x.current, x.recommended])).toEqual([
      ["shared_buffers", "16MB", "128MB or more"],
      ["max_wal_size", "32MB", "1GB or more"],
      ["checkpoint_timeout", "30s", "5min or more"],
    ]);
  });

  it("takes checkpoints forced by WAL volume as evidence that max_wal_size is too small", () => {
    const w = assessPostgresSettings(facts(10 * MB, {}, { timed: 4, requested: 40 }));
    expect(w.map((x) => [x.setting, x.recommended])).toEqual([["max_wal_size", "2GB or more"]]);
    expect(w[0].why).toContain("40 of 44 checkpoints since 2026-12-02 01:00");
    // a few requested checkpoints (CREATE DATABASE, a manual CHECKPOINT) are not evidence
    expect(named(facts(10 * MB, {}, { timed: 0, requested: 5 }))).toEqual([]);
  });

  it("names autovacuum and track_counts off", () => {
    expect(named(facts(MB, { autovacuum: ["off", null], track_counts: ["off", null] }))).toEqual(["autovacuum", "track_counts"]);
  });
});

describe("the log block", () => {
  it("puts every warning in one block, data risks first and loud", () => {
    const f = facts(1.6 * GB, { fsync: ["off", null], shared_buffers: ["131072", "8kB"] });
    const text = formatWarnings(assessPostgresSettings(f), f);
    expect(text.split("\n")[0]).toMatch(/^\[verdict\] WARNING: PostgreSQL is set up to lose data on a crash \(fsync=off\); 3 settings in all are below what Verdict needs; intercepts: 3\.2 GB of rows, 1\.6 GB of indexes/);
    expect(text).toContain("!! DATA AT RISK: fsync = off; recommended: on.");
    expect(text).toContain("shared_buffers = 1GB; recommended: 4GB or more.");
    expect(text).toContain("VERDICT_PG_SETTINGS_CHECK=0");
    expect(formatAllClear(facts(10 * MB))).toBe("[verdict] PostgreSQL settings checked: none below what Verdict needs for this store (intercepts indexes 10 MB).");
  });
});
