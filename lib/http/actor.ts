// Who did it, for logs that must say (legal holds, deletions): the API key's name, the
// server's own key, or the dashboard (one admin password: no user names to tell apart).
import { getDb } from "../db/client";
import { findActiveApiKeyByHash } from "../db/queries/api-keys";
import { bearerToken, hashKey, safeEqual } from "./auth";

export async function requestActor(req: Request, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const key = bearerToken(req);
  if (key === null) return "dashboard";
  if (env.VERDICT_API_KEY && safeEqual(key, env.VERDICT_API_KEY)) return "VERDICT_API_KEY";
  const found = await findActiveApiKeyByHash(getDb().db, hashKey(key));
  return found ? `key:${found.name}` : "unknown key";
}
