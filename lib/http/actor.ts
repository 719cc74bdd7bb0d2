// Who did it, for logs that must say (legal holds, deletions, reviews): the API key's name as
// apiKeyName() writes it, or the dashboard (one admin password: no user names to tell apart).
import { apiKeyName, bearerToken } from "./auth";

export async function requestActor(req: Request): Promise<string> {
  const key = bearerToken(req);
  if (key === null) return "dashboard";
  return (await apiKeyName(key)) ?? "unknown key";
}
