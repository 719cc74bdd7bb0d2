import path from "node:path";

export type Dialect = "sqlite" | "postgresql";

export interface DatabaseConfig {
  dialect: Dialect;
  /** postgres:// URL, or the absolute path of the SQLite file */
  url: string;
}

/** DATABASE_URL unset → ./data/verdict.db; `file:` or a path → SQLite; postgres(ql):// → PostgreSQL. */
export function databaseConfig(env: Record<string, string | undefined> = process.env): DatabaseConfig {
  const raw = (env.DATABASE_URL ?? "").trim();
  if (/^postgres(ql)?:\/\//i.test(raw)) return { dialect: "postgresql", url: raw };
  const file = raw === "" ? "data/verdict.db" : raw.replace(/^file:/, "");
  return { dialect: "sqlite", url: path.resolve(file) };
}

/** Where files kept beside the data go (the signing key): the SQLite file's directory, else ./data. */
export function dataDirectory(config: DatabaseConfig): string {
  return config.dialect === "sqlite" ? path.dirname(config.url) : path.resolve("data");
}
