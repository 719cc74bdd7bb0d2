// Creates the next migration for both databases from the change between the schema the
// last migration produced (prisma/migrations/schema.snapshot.prisma) and prisma/schema.prisma.
// Usage: node scripts/migration-new.mjs <name>
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { postgresSchemaFrom } from "./prisma-generate.mjs";

const name = (process.argv[2] || "").replace(/[^a-z0-9_]/gi, "_");
if (!name) throw new Error("usage: node scripts/migration-new.mjs <name>");
const snapshot = "prisma/migrations/schema.snapshot.prisma";
const current = readFileSync("prisma/schema.prisma", "utf8");
mkdirSync("/tmp/verdict-migration", { recursive: true });
writeFileSync("/tmp/verdict-migration/pg-new.prisma", postgresSchemaFrom(current));
if (existsSync(snapshot)) {
  writeFileSync("/tmp/verdict-migration/pg-old.prisma", postgresSchemaFrom(readFileSync(snapshot, "utf8")));
}
const seq = String(existsSync("prisma/migrations/sqlite") ? readdirSync("prisma/migrations/sqlite").length + 1 : 1).padStart(4, "0");
for (const [dir, oldPath, newPath] of [
  ["sqlite", snapshot, "prisma/schema.prisma"],
  ["postgresql", "/tmp/verdict-migration/pg-old.prisma", "/tmp/verdict-migration/pg-new.prisma"],
]) {
  const from = existsSync(snapshot) ? ["--from-schema-datamodel", oldPath] : ["--from-empty"];
  const sql = execFileSync("npx", ["prisma", "migrate", "diff", ...from, "--to-schema-datamodel", newPath, "--script"], { encoding: "utf8" });
  const out = `prisma/migrations/${dir}/${seq}_${name}`;
  mkdirSync(out, { recursive: true });
  writeFileSync(`${out}/migration.sql`, sql.replace(/^Loaded Prisma config.*\n/m, ""));
  console.log(`wrote ${out}/migration.sql`);
}
writeFileSync(snapshot, current);
