// The server's side of "classified the same however a record arrives": once per process and
// database, the VERDICT_LLM_HOSTS it was started with becomes the list stored with the data
// (which the store step of every ingest, the importer and `verdict reclassify` read).
import { getDb, type ClientHandle } from "../db/client";
import { LLM_HOSTS, readSetting, storedLlmHosts, writeSetting } from "../db/queries/settings";
import { normalizeLlmHosts } from "../analysis/classify-call";
import { setting } from "../config/server-env";

const g = globalThis as unknown as { __verdictLlmHostsSynced?: Map<string, Promise<void>> };

export function ensureLlmHostsStored(): Promise<void> {
  const synced = (g.__verdictLlmHostsSynced ??= new Map());
  const key = process.env.DATABASE_URL ?? "";
  let p = synced.get(key);
  if (!p) {
    p = (async () => {
      const h = getDb();
      const change = await syncLlmHostsFromEnv(h);
      if (change.changed) console.log(`[verdict] ${reclassifyHint(change)}`);
    })().catch((e) => {
      synced.delete(key); // try again with the next request
      throw e;
    });
    synced.set(key, p);
  }
  return p;
}

export interface LlmHostsChange {
  previous: string;
  value: string;
  changed: boolean;
}

/** Stores `list` as the LLM host list; says whether that changed it. */
export async function setLlmHosts(h: ClientHandle, list: string): Promise<LlmHostsChange> {
  const value = normalizeLlmHosts(list);
  const stored = await readSetting(h, LLM_HOSTS);
  const previous = stored ?? "";
  // Written also when never set, so the row exists ("" included) once a list was given.
  if (stored === null || previous !== value) await writeSetting(h, LLM_HOSTS, value);
  return { previous, value, changed: previous !== value };
}

/**
 * At server start: VERDICT_LLM_HOSTS, when set (even empty), becomes the stored list; when
 * unset, the stored one stays. Returns the list in force.
 */
export async function syncLlmHostsFromEnv(h: ClientHandle, env: NodeJS.ProcessEnv = process.env): Promise<LlmHostsChange> {
  const hosts = setting("VERDICT_LLM_HOSTS", env);
  if (hosts === undefined) {
    const value = await storedLlmHosts(h);
    return { previous: value, value, changed: false };
  }
  return setLlmHosts(h, hosts);
}

export const reclassifyHint = (c: LlmHostsChange) =>
  `LLM host list changed from "${c.previous}" to "${c.value}": calls stored before are classified with the old list until you run \`npx verdict reclassify\`.`;
