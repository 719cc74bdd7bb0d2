// Which PostgreSQL settings Verdict needs for its write-heavy, index-heavy ingest, weighed
// against what the server is set to and how big the intercepts have grown. Pure: the facts
// come from lib/db/queries/postgres-settings.ts, the log line from postgres-check.ts.
//
// Why these settings (measurements: docs/performance.md, "Which PostgreSQL settings"):
// - fsync, full_page_writes: off risks corruption after an OS crash or power cut
//   (PostgreSQL docs, runtime-config-wal). Verdict stores evidence: warned loudly.
// - synchronous_commit=off: a crash loses batches Verdict already acknowledged (no corruption;
//   PostgreSQL docs, runtime-config-wal). Agents do not send them again.
// - shared_buffers against the intercepts' indexes: every batch inserts into each index, three
//   of them on random keys (dedupe key, call_ref, and ids before they began with the time), so
//   the whole index is the working set. Measured: at 3M rows, 1.6 GB of intercept indexes over
//   shared_buffers=1GB, ingest fell to 0.17x its empty-store rate (fsync on).
// - max_wal_size: the first change to a page after a checkpoint writes the whole page to WAL;
//   random-key inserts touch pages all over the indexes, so WAL per checkpoint grows with them.
//   Measured alongside the above: a WAL-triggered checkpoint every ~30 s with max_wal_size=1GB,
//   the interval PostgreSQL's own checkpoint_warning calls too frequent. The docs also say a
//   larger shared_buffers needs a larger max_wal_size (runtime-config-resource).
// - checkpoint_timeout below the default: more checkpoints, more full-page images (wal-configuration).
// - autovacuum / track_counts: the planner's statistics (measured: until the intercepts' first
//   ANALYZE, leak linking takes 0.5-1.9 s per batch and ingest runs at a third of its rate:
//   docs/performance.md) and freezing, which a growing table needs before transaction-id
//   wraparound (routine-vacuuming); retention deletes leave dead rows.
// Not checked, for want of a measurement that they matter here: effective_cache_size (a planner
// hint; Verdict's reads are index range scans), work_mem (no large sorts on the write path),
// maintenance_work_mem (index builds in migrations, vacuum), wal_compression (trades CPU for WAL
// volume, and CPU is what limits ingest on small machines: docs/performance.md).
import type { CheckedSetting, PostgresFacts } from "../db/queries/postgres-settings";

export interface SettingWarning {
  setting: CheckedSetting;
  current: string;
  recommended: string;
  why: string;
  /** "data": records can be lost or the database corrupted; "speed": ingest slows as the store grows */
  risk: "data" | "speed";
}

const KB = 1024;
const MB = 1024 * KB;
const GB = 1024 * MB;
/** PostgreSQL's defaults for the two memory/WAL sizes: below them a server was shrunk on purpose. */
const SHARED_BUFFERS_FLOOR = 128 * MB;
const MAX_WAL_SIZE_FLOOR = 1 * GB;
const CHECKPOINT_TIMEOUT_FLOOR_S = 300;
/** Forced checkpoints count as evidence once there are this many, and more than twice the timed ones. */
const FORCED_CHECKPOINTS_MIN = 10;

/** A pg_settings value in bytes, from its unit ("8kB", "MB", ...); NaN when it is not a size. */
export function settingBytes(setting: string, unit: string | null): number {
  const m = /^(\d*)(B|kB|MB|GB|TB)$/.exec(unit ?? "");
  if (!m) return NaN;
  const mult = { B: 1, kB: KB, MB, GB, TB: 1024 * GB }[m[2] as "B"];
  return Number(setting) * (m[1] ? Number(m[1]) : 1) * mult;
}

/** A pg_settings value in seconds ("s", "ms", "min"); NaN when it is not a duration. */
export function settingSeconds(setting: string, unit: string | null): number {
  const mult = { ms: 0.001, s: 1, min: 60, h: 3600, d: 86400 }[unit ?? ""];
  return mult === undefined ? NaN : Number(setting) * mult;
}

/** A size the way postgresql.conf takes it: "16MB", "1536MB", "4GB". */
export function formatSize(bytes: number): string {
  if (bytes >= GB && bytes % GB === 0) return `${bytes / GB}GB`;
  if (bytes >= MB) return `${Math.round(bytes / MB)}MB`;
  return `${Math.round(bytes / KB)}kB`;
}

/** A size for people: "1.6 GB", "312 MB". */
export function humanSize(bytes: number): string {
  if (bytes >= GB) return `${(bytes / GB).toFixed(1)} GB`;
  if (bytes >= MB) return `${Math.round(bytes / MB)} MB`;
  return `${Math.round(bytes / KB)} kB`;
}

/** Up to the next 128 MB below 1 GB, the next whole GB above. */
function roundUp(bytes: number): number {
  const step = bytes > GB ? GB : 128 * MB;
  return Math.ceil(bytes / step) * step;
}

/** Each setting below what Verdict needs for this store, with the value to set and why; empty when all is well. */
export function assessPostgresSettings(facts: PostgresFacts): SettingWarning[] {
  const out: SettingWarning[] = [];
  const s = facts.settings;
  const raw = (name: CheckedSetting) => s[name]?.setting;
  // What ingest writes into is what must stay in memory: with intercepts by month, this month's
  // partition and the dedupe keys, not every month kept (at 9.4M rows: ~0.3 KB per row of a
  // month's partition, 75 bytes per stored record for the dedupe keys).
  const idx = facts.writtenIndexBytes ?? facts.interceptsIndexBytes ?? 0;
  const all = facts.interceptsIndexBytes ?? 0;
  const idxText = facts.interceptsIndexBytes === null ? "" : ` (the indexes ingest writes into are ${humanSize(idx)} now${all > idx * 1.05 ? `, of ${humanSize(all)} of intercept indexes in all` : ""})`;

  if (raw("fsync") === "off")
    out.push({ setting: "fsync", current: "off", recommended: "on", risk: "data",
      why: "an operating-system crash or power cut can lose records Verdict already acknowledged, or corrupt the database beyond repair (PostgreSQL docs: fsync). Only for throw-away test servers." });
  if (raw("full_page_writes") === "off")
    out.push({ setting: "full_page_writes", current: "off", recommended: "on", risk: "data",
      why: "a page half-written at a crash cannot be repaired from WAL: unrecoverable or silent corruption after a system failure (PostgreSQL docs: full_page_writes)." });
  if (raw("synchronous_commit") === "off")
    out.push({ setting: "synchronous_commit", current: "off", recommended: "on", risk: "data",
      why: "a crash loses the last batches Verdict already answered as stored, and agents do not send them again (no corruption; PostgreSQL docs: synchronous_commit)." });

  const sb = s.shared_buffers ? settingBytes(s.shared_buffers.setting, s.shared_buffers.unit) : NaN;
  const sbNeed = Math.max(SHARED_BUFFERS_FLOOR, roundUp(2 * idx));
  if (sb < SHARED_BUFFERS_FLOOR || sb < 2 * idx)
    out.push({ setting: "shared_buffers", current: formatSize(sb), recommended: `${formatSize(sbNeed)} or more`, risk: "speed",
      why: `every batch inserts into every index of its month's intercepts (and the dedupe keys), several on random keys, so those indexes must stay in memory${idxText}; twice their size leaves room to grow. Measured: at 3M rows, 1.6 GB of indexes over shared_buffers=1GB cut ingest to 0.17x. PostgreSQL's docs suggest ~25% of RAM on a dedicated server; if that is not enough, the server needs more memory.` });

  const wal = s.max_wal_size ? settingBytes(s.max_wal_size.setting, s.max_wal_size.unit) : NaN;
  const cp = facts.checkpoints;
  const forced = !!cp && cp.requested >= FORCED_CHECKPOINTS_MIN && cp.requested > 2 * cp.timed;
  const walNeed = Math.max(MAX_WAL_SIZE_FLOOR, roundUp(2 * idx), forced ? roundUp(2 * wal) : 0);
  if (wal < MAX_WAL_SIZE_FLOOR || wal < 2 * idx || forced) {
    const evidence = forced ? ` This server: ${cp!.requested} of ${cp!.requested + cp!.timed} checkpoints${cp!.since ? ` since ${cp!.since.slice(0, 16)}` : ""} were forced before checkpoint_timeout (mostly by WAL volume).` : "";
    out.push({ setting: "max_wal_size", current: formatSize(wal), recommended: `${formatSize(walNeed)} or more`, risk: "speed",
      why: `after each checkpoint the first change to a page writes the whole page to WAL, and inserts on random keys touch pages all over the indexes${idxText}, so a small max_wal_size forces checkpoint after checkpoint. Measured: with 1GB at 3M rows, one every ~30 s (PostgreSQL's checkpoint_warning calls that too frequent).${evidence}` });
  }

  const ct = s.checkpoint_timeout ? settingSeconds(s.checkpoint_timeout.setting, s.checkpoint_timeout.unit) : NaN;
  if (ct < CHECKPOINT_TIMEOUT_FLOOR_S)
    out.push({ setting: "checkpoint_timeout", current: `${ct}s`, recommended: "5min or more", risk: "speed",
      why: "each checkpoint starts the full-page images over, so checkpoints more often than PostgreSQL's default write more WAL and more pages (PostgreSQL docs: WAL configuration)." });

  for (const name of ["autovacuum", "track_counts"] as const)
    if (raw(name) === "off")
      out.push({ setting: name, current: "off", recommended: "on", risk: "speed",
        why: `without ${name === "track_counts" ? "activity counts autovacuum cannot run, so " : ""}automatic ANALYZE the planner has no statistics for the intercepts. Measured: until the table's first ANALYZE, leak linking took 0.5-1.9 s per batch and ingest ran at ~850-1,100 records/s instead of ~3,000; one ANALYZE ended it. And the growing tables are never frozen ahead of transaction-id wraparound (PostgreSQL docs: routine vacuuming).` });
  return out;
}

/** The one warning block for the log: each setting, its value, the value to set and why. */
export function formatWarnings(warnings: SettingWarning[], facts: PostgresFacts): string {
  const data = warnings.filter((w) => w.risk === "data");
  const size = facts.interceptsIndexBytes === null ? "" : `; intercepts: ${humanSize(facts.interceptsTableBytes ?? 0)} of rows, ${humanSize(facts.interceptsIndexBytes)} of indexes`;
  const lines = [
    data.length
      ? `[verdict] WARNING: PostgreSQL is set up to lose data on a crash (${data.map((w) => `${w.setting}=off`).join(", ")}); ${warnings.length} setting${warnings.length === 1 ? " is" : "s in all are"} below what Verdict needs${size}. Verdict keeps running:`
      : `[verdict] WARNING: ${warnings.length} PostgreSQL setting${warnings.length === 1 ? " is" : "s are"} below what Verdict needs for this store${size}. Verdict keeps running:`,
    ...warnings.map((w) => `[verdict]   ${w.risk === "data" ? "!! DATA AT RISK: " : ""}${w.setting} = ${w.current}; recommended: ${w.recommended}. Why: ${w.why}`),
    "[verdict]   Set these in postgresql.conf (or ALTER SYSTEM SET ...) and restart PostgreSQL; see the README, \"Which database at which size\". VERDICT_PG_SETTINGS_CHECK=0 turns this check off.",
  ];
  return lines.join("\n");
}

/** The line logged when nothing is below what Verdict needs. */
export function formatAllClear(facts: PostgresFacts): string {
  const size = facts.interceptsIndexBytes === null ? "" : ` (intercepts indexes ${humanSize(facts.interceptsIndexBytes)})`;
  return `[verdict] PostgreSQL settings checked: none below what Verdict needs for this store${size}.`;
}
