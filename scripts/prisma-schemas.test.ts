import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { postgresSchemaFrom } from "./prisma-generate.mjs";

describe("Prisma schemas", () => {
  const sqlite = readFileSync("prisma/schema.prisma", "utf8");
  it("the PostgreSQL schema differs from the SQLite one only in provider, url and output", () => {
    const pg = postgresSchemaFrom(sqlite);
    expect(pg).toContain('provider = "postgresql"');
    expect(pg.split("\n").length).toBe(sqlite.split("\n").length);
  });
  it("every schema change has its migration (the snapshot of the last migration is current)", () => {
    expect(readFileSync("prisma/migrations/schema.snapshot.prisma", "utf8")).toBe(sqlite);
  });
});
