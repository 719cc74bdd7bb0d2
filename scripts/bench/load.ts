// Bulk load for the read benchmark: millions of rows through the raw path (fast), with
// the derived columns exactly as ingest computes them — the same preparation (kind,
// classification) and then the same leak-linking SQL (relinkLeaks) over every (agent, tag),
// and the per-agent counts recomputed from the rows (rebuildAgentStats).
import type { Dialect } from "../../lib/db/config";
import { createDb } from "../../lib/db/client";
import { leakScopes } from "../../lib/ingest/store";
import { relinkLeaks, type LeakScope } from "../../lib/db/queries/leaks";
import { rebuildAgentStats } from "../../lib/db/queries/agent-stats";
import { preparedRows } from "./prepare";
import { rawWriter } from "./raw";
import type { GenOptions } from "./records";

const CHUNK = 5000;

export async function bulkLoad(targets: { dialect: Dialect; url: string }[], sets: { gen: GenOptions; count: number }[]): Promise<void> {
  const writers = await Promise.all(targets.map((t) => rawWriter(t.dialect, t.url)));
  const scopes = new Map<string, LeakScope>();
  try {
    for (const { gen, count } of sets) {
      for (let from = 0; from < count; from += CHUNK) {
        const rows = preparedRows(from, Math.min(count, from + CHUNK), gen);
        for (const s of leakScopes(rows)) scopes.set(`${s.agentId}\u0000${s.actionName}`, { ...s, fromTs: 0 });
        await Promise.all(writers.map((w) => w.write(rows)));
        if ((from / CHUNK) % 40 === 0) process.stdout.write(`\r[bench] loaded ${from + rows.length} of ${count} ...`);
      }
    }
    process.stdout.write("\n");
  } finally {
    await Promise.all(writers.map((w) => w.close()));
  }
  for (const t of targets) {
    const { db } = createDb({ DATABASE_URL: t.url });
    try {
      await relinkLeaks({ db: db, dialect: t.dialect }, [...scopes.values()]);
      await rebuildAgentStats({ db: db, dialect: t.dialect });
      // PostgreSQL's autovacuum would analyze a table this size within a minute; the bench
      // is quicker than that, so it asks now. SQLite is measured as shipped (no ANALYZE).
      if (t.dialect === "postgresql") await db.$executeRawUnsafe(`ANALYZE "intercepts"`);
    } finally {
      await db.$disconnect();
    }
  }
}
