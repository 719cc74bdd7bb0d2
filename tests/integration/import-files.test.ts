import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { DIALECTS, useFreshDatabase } from "../support/databases";
import { importFile } from "@/lib/importers/files";
import { importCommand } from "@/lib/cli/import";
import { formatRejection, type Rejection } from "@/lib/importers/sink";
import type { Db } from "@/lib/db/client";

const fixture = (name: string) => path.resolve(import.meta.dirname, "../fixtures/import", name);

async function run(file: string, source?: string) {
  const rejected: Rejection[] = [];
  const totals = await importFile({ path: fixture(file), batchSize: 2, source, onRejected: (r) => rejected.push(r) });
  return { totals, rejected: rejected.map(formatRejection) };
}

describe.each(DIALECTS)("file import into %s", (dialect) => {
  let db: Db;
  beforeAll(async () => {
    ({ db } = await useFreshDatabase(dialect));
  });

  it("imports the good NDJSON lines and reports the bad ones by line number with the reason", async () => {
    const { totals, rejected } = await run("records.ndjson", "files");
    expect(totals).toMatchObject({ read: 6, accepted: 3, duplicates: 0, rejected: 3, stopped: false });
    expect(rejected).toHaveLength(3);
    expect(rejected[0]).toMatch(/^line 2: not JSON: /);
    expect(rejected[1]).toMatch(/^line 5: created_at /);
    expect(rejected[2]).toBe("line 7: type must be one of intercept, policy_decision, handoff");
    const llm = await db.intercept.findFirstOrThrow({ where: { source: "files", sourceId: "9002" } });
    const tool = await db.intercept.findFirstOrThrow({ where: { source: "files", sourceId: "9001" } });
    expect(llm).toMatchObject({ kind: "llm_call", isLeak: true, leakToolId: tool.id });
    const handoff = await db.handoff.findFirstOrThrow({ where: { sourceId: "file-h-1" } });
    expect(handoff.payload).not.toContain("ik-FILE-SECRET");
  });

  it("re-importing the file stores nothing twice", async () => {
    const { totals } = await run("records.ndjson", "files");
    expect(totals).toMatchObject({ accepted: 0, duplicates: 3, rejected: 3 });
    expect(await db.intercept.count({ where: { source: "files" } })).toBe(2);
  });

  it("imports a CSV export of the intercept table: quoted JSON, NULLs, multi-line fields", async () => {
    const { totals, rejected } = await run("intercepts.csv", "csv");
    expect(rejected).toEqual([
      expect.stringMatching(/^line 5: created_at must be an ISO-8601 timestamp/),
      "line 6: has 4 fields; the header has 8",
    ]);
    expect(totals).toMatchObject({ read: 5, accepted: 3, rejected: 2 });
    const quote = await db.intercept.findFirstOrThrow({ where: { source: "csv", sourceId: "1" } });
    expect(quote).toMatchObject({ kind: "tool_call", generation: "A", method: "GET", createdAt: "2026-11-20T09:00:00.000001Z", responseHash: null });
    expect(JSON.parse(quote.rawResponse!)).toEqual({ price: 12.5, note: "a, b" });
    const llm = await db.intercept.findFirstOrThrow({ where: { source: "csv", sourceId: "2" } });
    expect(llm).toMatchObject({ kind: "llm_call", llmProvider: "Anthropic", isLeak: true, leakToolId: quote.id });
    expect(JSON.parse(llm.rawResponse!)).toEqual({ content: [{ text: "It is 12.5" }] });
    expect(await db.intercept.findFirstOrThrow({ where: { source: "csv", sourceId: "5" } })).toMatchObject({ kind: "filler" });
  });

  it("the command says what it did and exits 1 when some lines were rejected; a CSV without the header is refused", async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await importCommand([fixture("records.ndjson"), "--source", "files"], (s) => out.push(s), (s) => err.push(s))).toBe(1);
    expect(out.join("\n")).toBe("Imported: 6 read, 0 new, 3 already stored, 3 rejected.");
    expect(err.filter((l) => l.startsWith("rejected line"))).toHaveLength(3);
    await expect(importFile({ path: fixture("records.ndjson"), format: "csv", batchSize: 10, onRejected: () => {} })).rejects.toThrow(/header lacks/);
    await expect(importFile({ path: fixture("missing.ndjson"), batchSize: 10, onRejected: () => {} })).rejects.toThrow(/no such file/);
  });
});
