// The server's side of "classified the same however a record arrives": once per process and
// database, the VERDICT_LLM_HOSTS it was started with becomes the list stored with the data
// (which the store step of every ingest, the importer and `verdict reclassify` read).
import { getDb } from "../db/client";
import { reclassifyHint, syncLlmHostsFromEnv } from "../db/queries/settings";

const g = globalThis as unknown as { __verdictLlmHostsSynced?: Map<string, Promise<void>> };

export function ensureLlmHostsStored(): Promise<void> {
  const synced = (g.__verdictLlmHostsSynced ??= new Map());
  const key = process.env.DATABASE_URL ?? "";
  let p = synced.get(key);
  if (!p) {
    p = (async () => {
      const { db, dialect } = getDb();
      const change = await syncLlmHostsFromEnv(db, dialect);
      if (change.changed) console.log(`[verdict] ${reclassifyHint(change)}`);
    })().catch((e) => {
      synced.delete(key); // try again with the next request
      throw e;
    });
    synced.set(key, p);
  }
  return p;
}
