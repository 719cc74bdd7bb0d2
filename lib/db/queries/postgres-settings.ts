// What the PostgreSQL server Verdict runs on is set to, and how big the intercepts have grown:
// the facts the start-up settings check (lib/startup/postgres-check.ts) weighs. Read-only,
// and only what any role can read (pg_settings, pg_stat_bgwriter, relation sizes).
import type { DbHandle } from "../client";

/** The settings read (their raw value and unit as pg_settings gives them). */
export const CHECKED_SETTINGS = [
  "fsync",
  "full_page_writes",
  "synchronous_commit",
  "shared_buffers",
  "max_wal_size",
  "checkpoint_timeout",
  "autovacuum",
  "track_counts",
] as const;
export type CheckedSetting = (typeof CHECKED_SETTINGS)[number];

export interface PostgresFacts {
  serverVersionNum: number;
  settings: Partial<Record<CheckedSetting, { setting: string; unit: string | null }>>;
  /** all indexes of the intercepts table (of every partition, if it is partitioned); null before the schema exists */
  interceptsIndexBytes: number | null;
  interceptsTableBytes: number | null;
  /**
   * the indexes ingest writes into: those of the two newest month partitions holding rows (records
   * arrive with ts close to now) and of the dedupe keys, which grow with the whole store; the
   * table's own when it is not partitioned. null before the schema exists.
   */
  writtenIndexBytes: number | null;
  /** checkpoints since the statistics were last reset: on the timer, and requested (mostly: WAL reached max_wal_size) */
  checkpoints: { timed: number; requested: number; since: string | null } | null;
}

export async function readPostgresFacts({ db }: DbHandle): Promise<PostgresFacts> {
  const q = <T>(sql: string) => db.$queryRawUnsafe<T[]>(sql);
  const names = CHECKED_SETTINGS.map((n) => `'${n}'`).join(", ");
  const rows = await q<{ name: CheckedSetting; setting: string; unit: string | null }>(`SELECT name, setting, unit FROM pg_settings WHERE name IN (${names})`);
  const [{ v }] = await q<{ v: string }>(`SELECT current_setting('server_version_num') AS v`);
  const serverVersionNum = Number(v);
  // The table and, if it is partitioned, every partition (pg_partition_tree lists nothing for a
  // plain table that is no partition, so the table itself is added).
  const [size] = await q<{ idx: number | null; tbl: number | null; present: boolean }>(
    `WITH rels AS (
       SELECT relid FROM pg_partition_tree(to_regclass('intercepts'))
       UNION SELECT to_regclass('intercepts') WHERE to_regclass('intercepts') IS NOT NULL
     )
     SELECT to_regclass('intercepts') IS NOT NULL AS present,
            (SELECT sum(pg_indexes_size(relid))::float8 FROM rels) AS idx,
            (SELECT sum(pg_table_size(relid))::float8 FROM rels) AS tbl`,
  );
  const [written] = await q<{ w: number | null; partitioned: boolean | null }>(
    `WITH months AS (
       SELECT c."oid" FROM pg_inherits i JOIN pg_class c ON c."oid" = i."inhrelid"
       WHERE i."inhparent" = to_regclass('intercepts') AND c."relname" ~ '^intercepts_[0-9]{4}_[0-9]{2}$' AND pg_relation_size(c."oid") > 0
       ORDER BY c."relname" DESC LIMIT 2
     )
     SELECT ((SELECT coalesce(sum(pg_indexes_size("oid")), 0) FROM months) + coalesce(pg_indexes_size(to_regclass('intercept_dedupe')), 0))::float8 AS w,
            (SELECT "relkind" = 'p' FROM pg_class WHERE "oid" = to_regclass('intercepts')) AS partitioned`,
  );
  // PostgreSQL 17 moved the checkpoint counters to pg_stat_checkpointer.
  const cp = await q<{ timed: number; requested: number; since: string | null }>(
    serverVersionNum >= 170000
      ? `SELECT num_timed::float8 AS timed, num_requested::float8 AS requested, stats_reset::text AS since FROM pg_stat_checkpointer`
      : `SELECT checkpoints_timed::float8 AS timed, checkpoints_req::float8 AS requested, stats_reset::text AS since FROM pg_stat_bgwriter`,
  );
  return {
    serverVersionNum,
    settings: Object.fromEntries(rows.map((r) => [r.name, { setting: r.setting, unit: r.unit }])),
    interceptsIndexBytes: size.present ? Number(size.idx ?? 0) : null,
    interceptsTableBytes: size.present ? Number(size.tbl ?? 0) : null,
    writtenIndexBytes: !size.present ? null : written.partitioned ? Number(written.w ?? 0) : Number(size.idx ?? 0),
    checkpoints: cp[0] ? { timed: Number(cp[0].timed), requested: Number(cp[0].requested), since: cp[0].since } : null,
  };
}
