// One PostgreSQL server for the whole integration run; each test file makes its own database.
import type { TestProject } from "vitest/node";
import { startPostgres, type PgServer } from "./postgres";

let server: PgServer | undefined;

export async function setup(project: TestProject) {
  server = await startPostgres();
  project.provide("pgAdminUrl", server.url("postgres"));
}

export async function teardown() {
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
  }
}
