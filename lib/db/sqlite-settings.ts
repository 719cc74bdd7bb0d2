// Settings for every SQLite connection that writes evidence: the app's, and the benchmark's
// raw baseline, so that comparison stays like for like.
import type BetterSqlite3 from "better-sqlite3";

export function tuneSqliteConnection(db: BetterSqlite3.Database): void {
  // Checkpoint the WAL about every 40 MB instead of every 4 MB: index pages that consecutive
  // batches rewrite are copied into the database file once rather than once per batch
  // (prepared inserts of 1,000 ~1 KB rows: 44 → 32 ms per batch at 60,000 rows).
  // Durability is unchanged: synchronous stays FULL, every commit is on disk when acknowledged.
  db.pragma("wal_autocheckpoint = 10000");
}
