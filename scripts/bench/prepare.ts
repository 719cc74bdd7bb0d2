// The bench's records turned into the very rows ingest would store (same validation,
// normalization, classification and ids), for the raw baseline and the bulk load.
import { prepareBatch } from "../../lib/ingest/prepare";
import type { InterceptRow } from "../../lib/db/queries/ingest";
import { benchRecords, type GenOptions } from "./records";

export function preparedRows(from: number, to: number, o: GenOptions): InterceptRow[] {
  const raw = benchRecords(from, to, o).map((value, index) => ({ index, value }));
  const { batch, rejected } = prepareBatch(raw);
  if (rejected.length) throw new Error(`bench records rejected: ${JSON.stringify(rejected[0])}`);
  return batch.intercepts;
}
