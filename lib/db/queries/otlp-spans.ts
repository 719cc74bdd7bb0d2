// OTLP spans stored earlier, looked up by their record id (`<traceId>:<spanId>`): a span whose
// execute_tool ancestor came in an earlier export inherits that tool's tag from here.
import type { Db } from "../client";

export interface StoredSpan {
  sourceId: string;
  actionName: string;
  extra: string | null;
}

const CHUNK = 1000; // ids per statement, well under either database's parameter limit

export async function storedSpans(db: Db, source: string, ids: string[]): Promise<StoredSpan[]> {
  const out: StoredSpan[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    // (source, source_id) is indexed.
    const rows = await db.intercept.findMany({ where: { source, sourceId: { in: unique.slice(i, i + CHUNK) } }, select: { sourceId: true, actionName: true, extra: true } });
    for (const r of rows) if (r.sourceId !== null) out.push({ sourceId: r.sourceId, actionName: r.actionName, extra: r.extra });
  }
  return out;
}
