import { ingestRecords } from "../ingest/ingest";
import { demoRecords } from "./demo-records";

/** Writes the demo data set through the ingest path (idempotent: a second load adds nothing). */
export async function loadDemoData(now = Date.now()) {
  const records = demoRecords(now);
  return ingestRecords(records.map((value, index) => ({ index, value })));
}
