// OTLP spans → intercepts, stored through ingestRecords like every other record. Answers in
// OTLP's own response shape: {} when every span was taken, else
// {"partialSuccess": {"rejectedSpans": n, "errorMessage": "..."}}.
import { inheritTag, mapOtlpTraces, type MappedSpan, type OtlpRecord } from "./otlp";
import { emptyTotals, formatRejection, ingestItems, type ImportItem, type Rejection } from "./sink";
import type { IngestOptions } from "../ingest/ingest";
import { getDb } from "../db/client";
import { storedSpans } from "../db/queries/otlp-spans";

export interface OtlpResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}

export async function ingestOtlpTraces(body: { resourceSpans: unknown[] }, options: IngestOptions = {}): Promise<OtlpResponse> {
  const mapping = mapOtlpTraces(body);
  await inheritFromStoredSpans(mapping.spans, options);
  const problems: Rejection[] = mapping.spans.filter((s) => s.error).map((s) => ({ where: s.path, errors: [{ path: "(record)", message: s.error! }] }));
  const items: ImportItem[] = mapping.spans.filter((s) => s.record).map((s) => ({ where: s.path, value: s.record }));
  const totals = emptyTotals();
  await ingestItems(items, totals, (r) => problems.push(r), options);
  if (!problems.length) return {};
  // The first few reasons are enough to fix an exporter; the count says how many there were.
  const shown = problems.slice(0, 5).map(formatRejection).join(" | ");
  return {
    partialSuccess: {
      rejectedSpans: problems.length,
      errorMessage: problems.length > 5 ? `${shown} | and ${problems.length - 5} more` : shown,
    },
  };
}

/** How far up stored spans an ancestor chain is followed (one query per step). */
const MAX_STORED_STEPS = 16;

/**
 * Spans with no tag of their own whose ancestor is not in this export: the ancestor may have
 * been stored from an earlier export (a tool span that ended before a call made in its
 * context). Stored spans are calls only, so a chain is followed through stored calls: a
 * stored execute_tool span gives its tag; a stored call that inherited a tag passes it on.
 */
async function inheritFromStoredSpans(spans: MappedSpan[], options: IngestOptions): Promise<void> {
  let pending = spans.filter((s) => s.record && s.missingAncestor).map((s) => ({ record: s.record!, at: s.missingAncestor! }));
  if (!pending.length) return;
  const db = options.db ?? getDb().db;
  for (let step = 0; pending.length && step < MAX_STORED_STEPS; step++) {
    const bySource = new Map<string, typeof pending>();
    for (const p of pending) bySource.set(p.record.source, [...(bySource.get(p.record.source) ?? []), p]);
    const next: typeof pending = [];
    for (const [source, group] of bySource) {
      const found = new Map((await storedSpans(db, source, group.map((p) => p.at))).map((r) => [r.sourceId, r]));
      for (const p of group) {
        const row = found.get(p.at);
        if (!row) continue; // not stored (yet, or not a call): the chain ends here
        const otel = otelOf(row.extra);
        const attrs = (otel?.attributes ?? {}) as Record<string, unknown>;
        const from = otel?.action_name_from as { source?: unknown; id?: unknown; span_name?: unknown } | undefined;
        if (attrs["gen_ai.operation.name"] === "execute_tool" && typeof attrs["gen_ai.tool.name"] === "string") {
          inheritTag(p.record, { id: row.sourceId, source, actionName: row.actionName, name: typeof otel?.name === "string" ? otel.name : null });
        } else if (from && typeof from.source === "string" && typeof from.id === "string") {
          inheritTag(p.record, { id: from.id, source: from.source, actionName: row.actionName, name: typeof from.span_name === "string" ? from.span_name : null });
        } else if (typeof otel?.parent_span_id === "string" && typeof otel.trace_id === "string") {
          next.push({ record: p.record, at: `${otel.trace_id}:${otel.parent_span_id}` });
        }
      }
    }
    pending = next;
  }
}

function otelOf(extra: string | null): (OtlpRecord["otel"] & { attributes?: unknown; name?: unknown; parent_span_id?: unknown; trace_id?: unknown }) | null {
  if (!extra) return null;
  try {
    const parsed = JSON.parse(extra) as { otel?: unknown };
    return parsed.otel && typeof parsed.otel === "object" ? (parsed.otel as OtlpRecord["otel"]) : null;
  } catch {
    return null;
  }
}
