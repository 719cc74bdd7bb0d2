// Writes the PostgreSQL twin of prisma/schema.prisma (only provider and output differ)
// and generates both clients. Runs offline: Prisma 6.19.3 with the JS engine.
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";

export function postgresSchemaFrom(sqliteSchema) {
  return sqliteSchema
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./dev.db"', 'url      = "postgresql://localhost/verdict"')
    .replace("../lib/db/generated/sqlite", "../../lib/db/generated/postgresql")
    .replace(
      "// Verdict storage. This file is the SQLite schema;",
      "// GENERATED from prisma/schema.prisma: do not edit. Verdict storage, PostgreSQL;",
    );
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split("/").pop())) {
  const src = readFileSync("prisma/schema.prisma", "utf8");
  mkdirSync("prisma/postgresql", { recursive: true });
  writeFileSync("prisma/postgresql/schema.prisma", postgresSchemaFrom(src));
  for (const schema of ["prisma/schema.prisma", "prisma/postgresql/schema.prisma"]) {
    execFileSync("npx", ["prisma", "generate", "--schema", schema], { stdio: "inherit" });
  }
}
