// OTLP spans → intercepts, stored through ingestRecords like every other record. Answers in
// OTLP's own response shape: {} when every span was taken, else
// {"partialSuccess": {"rejectedSpans": n, "errorMessage": "..."}}.
import { mapOtlpTraces } from "./otlp";
import { emptyTotals, formatRejection, ingestItems, type ImportItem, type Rejection } from "./sink";
import type { IngestOptions } from "../ingest/ingest";

export interface OtlpResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}

export async function ingestOtlpTraces(body: { resourceSpans: unknown[] }, options: IngestOptions = {}): Promise<OtlpResponse> {
  const mapping = mapOtlpTraces(body);
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
