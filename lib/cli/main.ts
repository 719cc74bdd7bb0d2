// `verdict <command>`: the command line of Verdict. Uses DATABASE_URL like the server.
import { databaseConfig } from "../db/config";
import { migrate } from "../ingest/migrate";
import { keysCommand } from "./keys";

export const HELP = `verdict — audit what AI agents did

Usage: npx verdict <command> [options]

Commands:
  migrate                 apply database migrations (npm start does this itself)
  keys create <name>      create an API key for ingest and the API (shown once)
  keys list               list API keys (prefix, last use)
  keys revoke <id>        revoke an API key
  demo                    load the demo data set into the database
  import <source>         import from the recorder's PostgreSQL (postgres://...), or an
                          NDJSON / JSON / CSV file; see: verdict import --help
  reclassify              classify stored calls again with the LLM host list (after
                          adding a gateway host), re-link leaks, recount; see --help
  delete --agent ID | --source NAME --reason TEXT [--yes]
                          delete an agent's or a source's records (data-subject
                          request); held records stay, tombstones and a log remain
  retention               run one retention pass now (deletes what is past its age)
  verify                  check every stored record against the evidence chain; prints
                          each changed or missing record's id (exit 1 if any)
  export --out FILE       write a signed evidence bundle; see: verdict export --help
  verify-bundle FILE      verify an evidence bundle offline (no server, no database)
  signing-key show|rotate the key that signs evidence bundles
  --help                  show this help

The database is DATABASE_URL (default: the SQLite file ./data/verdict.db).`;

export async function main(argv: string[], out: (s: string) => void = console.log): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case undefined:
      case "--help":
      case "-h":
      case "help":
        out(HELP);
        return command === undefined ? 2 : 0;
      case "migrate": {
        const applied = await migrate(databaseConfig());
        out(applied.length ? `Applied ${applied.join(", ")}.` : "The database is up to date.");
        // Where a deployment migrates, it also hears which PostgreSQL settings are too small.
        const { postgresSettingsReport } = await import("../startup/postgres-check");
        const report = await postgresSettingsReport();
        if (report) out(report.message);
        return 0;
      }
      case "keys":
        await migrate(databaseConfig());
        return await keysCommand(args, out);
      case "demo": {
        await migrate(databaseConfig());
        const { loadDemoData } = await import("../demo/load-demo");
        const r = await loadDemoData();
        out(`Demo data: ${r.accepted} records stored, ${r.duplicates} already there.`);
        return 0;
      }
      case "import": {
        await migrate(databaseConfig());
        const { importCommand } = await import("./import");
        return await importCommand(args, out);
      }
      case "reclassify": {
        await migrate(databaseConfig());
        const { reclassifyCommand } = await import("./reclassify");
        return await reclassifyCommand(args, out);
      }
      case "delete": {
        await migrate(databaseConfig());
        const { deleteCommand } = await import("./delete");
        return await deleteCommand(args, { out });
      }
      case "retention": {
        await migrate(databaseConfig());
        const { retentionPass } = await import("../retention/service");
        const r = await retentionPass();
        if (!r.ran) out(`Retention did not run: ${r.why}.`);
        else {
          const c = r.result!.counts;
          out(`Retention deleted ${c.intercepts + c.policy_decisions + c.handoffs} records (${c.intercepts} intercepts, ${c.policy_decisions} policy decisions, ${c.handoffs} handoffs); ${r.result!.held} kept on legal hold.`);
          if (r.partitionsDropped.length) out(`Dropped the emptied month partitions of intercepts: ${r.partitionsDropped.join(", ")}.`);
        }
        return 0;
      }
      case "verify": {
        await migrate(databaseConfig());
        const { verifyCommand } = await import("./evidence");
        return await verifyCommand(args, out);
      }
      case "export": {
        await migrate(databaseConfig());
        const { exportCommand } = await import("./evidence");
        return await exportCommand(args, out);
      }
      case "verify-bundle": {
        // Offline on purpose: no database is opened.
        const { verifyBundleCommand } = await import("./evidence");
        return await verifyBundleCommand(args, out);
      }
      case "signing-key": {
        await migrate(databaseConfig());
        const { signingKeyCommand } = await import("./evidence");
        return await signingKeyCommand(args, out);
      }
      default:
        out(`Unknown command "${command}".\n\n${HELP}`);
        return 2;
    }
  } catch (e) {
    console.error(`verdict: ${(e as Error).message}`);
    return 1;
  }
}

// Run directly (`tsx lib/cli/main.ts ...`), as npm scripts do.
if (process.argv[1] && /lib[\\/]cli[\\/]main\.ts$/.test(process.argv[1])) {
  main(process.argv.slice(2)).then((code) => process.exit(code));
}
