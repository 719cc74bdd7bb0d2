// Raw SQL through the Prisma client, written once with `?` placeholders for both databases.
import type { Dialect } from "./config";
import type { Tx } from "./client";

/** `?` → `$1, $2, ...` on PostgreSQL. SQL text here never holds literal question marks. */
export function placeholders(sql: string, dialect: Dialect): string {
  if (dialect === "sqlite") return sql;
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

export async function query<T = Record<string, unknown>>(tx: Tx, dialect: Dialect, sql: string, params: unknown[] = []): Promise<T[]> {
  return (await tx.$queryRawUnsafe(placeholders(sql, dialect), ...params)) as T[];
}

export async function execute(tx: Tx, dialect: Dialect, sql: string, params: unknown[] = []): Promise<number> {
  return tx.$executeRawUnsafe(placeholders(sql, dialect), ...params);
}

/** Numbers come back as bigint (BIGINT columns) or strings (some aggregates on PostgreSQL). */
export function num(v: unknown): number {
  if (typeof v === "number") return v;
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "string") return Number(v);
  return 0;
}

export function bool(v: unknown): boolean {
  return v === true || v === 1 || v === 1n || v === "1" || v === "t" || v === "true";
}
