// `verdict migrate` and the server's start: the schema migrations (lib/db/migrate.ts), then,
// on the migration's own connection and still under its lock, the causes of handoffs stored
// before they were kept (or under an older analysis) — computed by the analysis, which is
// TypeScript, not SQL.
import type { DatabaseConfig } from "../db/config";
import { migrateSchema, type Migration, type MigrationConnection } from "../db/migrate";
import { applyAgentStats } from "../db/queries/agent-stats";
import { StatsDeltas } from "./stats";
import { handoffsWithStaleCauses } from "../db/queries/handoffs";
import { lockAgents } from "../db/queries/leaks";
import { CAUSES_VERSION, refreshHandoffs } from "./outcomes";

/** Returns the names of the migrations it applied (empty when the database was current). */
export function migrate(config: DatabaseConfig, root = process.cwd()): Promise<string[]> {
  return migrateSchema(config, root, async (conn, migrations) => {
    if (keepsCauses(migrations)) await refreshStaleCauses(conn);
  });
}

/** Whether the schema has the causes columns (a test may migrate only up to an older migration). */
const keepsCauses = (migrations: Migration[]) => migrations.some((m) => m.name.endsWith("_handoff_causes"));

/**
 * Handoffs stored before causes were kept (migration 0011), or under an older analysis: their
 * cause and category are computed once here. A few hundred per transaction, so a server
 * ingesting meanwhile waits briefly at most; the agents' CAUGHT counts follow if an outcome
 * changes (as at ingest). Cheap when nothing is stale.
 */
async function refreshStaleCauses({ tx, dialect, inTransaction }: MigrationConnection): Promise<void> {
  for (let more = true; more; ) {
    await inTransaction(async () => {
      const rows = await handoffsWithStaleCauses({ db: tx, dialect }, CAUSES_VERSION, 200);
      more = rows.length > 0;
      if (!more) return;
      await lockAgents({ db: tx, dialect }, rows.map((r) => r.agent_id));
      const stats = new StatsDeltas();
      for (const [agentId, by] of await refreshHandoffs({ db: tx, dialect }, rows.map((r) => r.id))) stats.bump(agentId, "caught", by);
      await applyAgentStats({ db: tx, dialect }, stats.list());
    });
  }
}
