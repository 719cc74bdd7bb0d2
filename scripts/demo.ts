// `npm run demo`: Verdict on the embedded SQLite default with the demo data loaded.
import { databaseConfig } from "../lib/db/config";
import { migrate } from "../lib/ingest/migrate";
import { loadDemoData } from "../lib/demo/load-demo";

async function main() {
  await migrate(databaseConfig());
  const r = await loadDemoData();
  console.log(`[verdict] demo data: ${r.accepted} records stored, ${r.duplicates} already there, ${r.rejected.length} rejected`);
  if (r.rejected.length) console.log(JSON.stringify(r.rejected, null, 2));
  await import("./start");
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
