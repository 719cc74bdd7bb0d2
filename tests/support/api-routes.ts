// Every API route of the app, found on disk (app/api/**/route.ts), so a suite that walks
// them cannot forget one that is added later.
import { readdirSync, statSync } from "node:fs";
import path from "node:path";

export const HTTP_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

type Handler = (req: Request, ctx: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface ApiRoute {
  /** "app/api/v1/shares/[id]/route.ts" */
  file: string;
  /** "/api/v1/shares/[id]" */
  pattern: string;
  /** names of the dynamic segments, e.g. ["id"] */
  params: string[];
  handlers: Partial<Record<HttpMethod, Handler>>;
}

const ROOT = path.resolve(import.meta.dirname, "../..");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return /^route\.(ts|tsx|js)$/.test(name) ? [full] : [];
  });
}

export async function apiRoutes(): Promise<ApiRoute[]> {
  const files = routeFiles(path.join(ROOT, "app/api")).sort();
  return Promise.all(
    files.map(async (full) => {
      const file = path.relative(ROOT, full);
      const pattern = "/" + path.dirname(file).replace(/^app\//, "").split(path.sep).filter((s) => !/^\(.*\)$/.test(s)).join("/");
      const params = [...pattern.matchAll(/\[(?:\.\.\.)?([^\]]+)\]/g)].map((m) => m[1]);
      const mod = (await import(/* @vite-ignore */ full)) as Record<string, unknown>;
      const handlers: ApiRoute["handlers"] = {};
      for (const m of HTTP_METHODS) if (typeof mod[m] === "function") handlers[m] = mod[m] as Handler;
      return { file, pattern, params, handlers };
    }),
  );
}

/** The URL path of a route with its dynamic segments filled in. */
export function fillPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) => encodeURIComponent(values[name] ?? "x"));
}
