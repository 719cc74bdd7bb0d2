// Prisma CLI config. The JS engine with a driver adapter keeps `prisma generate` offline
// (Prisma would otherwise download a native schema engine). Verdict applies migrations
// with its own runner (lib/db/migrate.ts), so the CLI only ever generates clients here.
import { defineConfig } from "prisma/config";
import { PrismaBetterSQLite3 } from "@prisma/adapter-better-sqlite3";

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  async adapter() {
    return new PrismaBetterSQLite3({ url: "file::memory:" });
  },
});
