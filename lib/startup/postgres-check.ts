// The PostgreSQL settings check a Verdict process runs when it starts (instrumentation.ts) and
// `verdict migrate` runs after migrating: one warning block naming each setting below what
// Verdict needs (lib/startup/postgres-settings.ts), or one line saying none is. It never stops
// a start: these are performance and durability advice, not errors.
import { getDb, type DbHandle } from "../db/client";
import { databaseConfig } from "../db/config";
import { readPostgresFacts, type PostgresFacts } from "../db/queries/postgres-settings";
import { setting } from "../config/server-env";
import { assessPostgresSettings, formatAllClear, formatWarnings, type SettingWarning } from "./postgres-settings";

export interface PostgresCheck {
  facts: PostgresFacts;
  warnings: SettingWarning[];
  /** what to log: the warning block, or the all-clear line */
  message: string;
}

/** Reads and weighs the settings of the PostgreSQL server under `h`. */
export async function checkPostgresSettings(h: DbHandle): Promise<PostgresCheck> {
  const facts = await readPostgresFacts(h);
  const warnings = assessPostgresSettings(facts);
  return { facts, warnings, message: warnings.length ? formatWarnings(warnings, facts) : formatAllClear(facts) };
}

/**
 * The check for the database this process uses (DATABASE_URL); null on SQLite or with
 * VERDICT_PG_SETTINGS_CHECK=0. A check that fails (a role that may not read a statistic) comes
 * back as a one-line warning: it never stops anything.
 */
export async function postgresSettingsReport(): Promise<{ warn: boolean; message: string } | null> {
  if (!setting("VERDICT_PG_SETTINGS_CHECK")) return null;
  if (databaseConfig().dialect !== "postgresql") return null;
  try {
    const r = await checkPostgresSettings(getDb());
    return { warn: r.warnings.length > 0, message: r.message };
  } catch (e) {
    return { warn: true, message: `[verdict] could not check the PostgreSQL settings: ${(e as Error).message}` };
  }
}

const g = globalThis as unknown as { __verdictPgSettingsChecked?: Promise<void> };

/** Logs the report once per process (Next.js loads modules once per bundle: the flag lives on globalThis). */
export function checkPostgresSettingsOnce(): Promise<void> {
  return (g.__verdictPgSettingsChecked ??= postgresSettingsReport().then((r) => {
    if (r) (r.warn ? console.warn : console.log)(r.message);
  }));
}
