// The printed table: each measurement beside its target.
import type { BenchResults } from "./main";
import type { EndpointResult } from "./reads";

const TARGETS = {
  sqlite: { ingest: 25_000, ratio: 0.5 },
  postgresql: { ingest: 15_000, ratio: 0.3 },
  timeline_p50_ms: 20,
  agents_p50_ms: 100,
  browser_ms: 1500,
  dom_nodes: 3000,
};

const fmt = (n: number) => (Number.isFinite(n) ? n.toLocaleString("en-US") : "—");
const mark = (ok: boolean) => (ok ? "ok" : "MISSED");

export function rows(r: BenchResults): string[][] {
  const out: string[][] = [["measurement", "database", "result", "target", ""]];
  for (const [d, i] of Object.entries(r.ingest)) {
    const t = TARGETS[d as "sqlite" | "postgresql"];
    out.push([`ingest HTTP (${fmt(i.records)} records, ${i.clients} clients × ${i.batch})`, d, `${fmt(i.records_per_s)} rec/s`, `≥ ${fmt(t.ingest)}`, mark(i.records_per_s >= t.ingest)]);
    out.push([`raw baseline (${i.raw_method})`, d, `${fmt(i.raw_records_per_s)} rec/s`, "", ""]);
    out.push(["ingest / raw", d, String(i.ratio), `≥ ${t.ratio}`, mark(i.ratio >= t.ratio)]);
    out.push(["leaks linked at ingest", d, `${fmt(i.stored_leaks)} of ${fmt(i.expected_leaks)}`, "all", mark(i.stored_leaks === i.expected_leaks)]);
  }
  for (const [d, a] of Object.entries(r.alerts ?? {})) {
    const list = (xs: number[]) => xs.map(fmt).join(", ");
    out.push([`ingest without alert rules (runs)`, d, `${list(a.without_records_per_s)} rec/s`, "", ""]);
    out.push([`ingest with ${a.rules} alert rules (runs; messages received)`, d, `${list(a.with_records_per_s)} rec/s; ${list(a.messages_received)}`, "", ""]);
    out.push([`server CPU per 1,000 records without / with rules (runs)`, d, `${list(a.without_cpu_ms_per_1000)} / ${list(a.with_cpu_ms_per_1000)} ms`, "", ""]);
    if (a.without_main_thread_cpu_ms_per_1000) out.push([`  of which the main thread, without / with rules (runs)`, d, `${list(a.without_main_thread_cpu_ms_per_1000)} / ${list(a.with_main_thread_cpu_ms_per_1000)} ms`, "", ""]);
    out.push([`ingest with rules / without (medians)`, d, String(a.ratio), "within noise (≥ 0.95)", mark(a.ratio >= 0.95)]);
  }
  for (const [d, rd] of Object.entries(r.reads)) {
    out.push([`stored intercepts (bulk load ${rd.load_seconds} s)`, d, `${fmt(rd.rows)}, leaks ${fmt(rd.stored_leaks)} of ${fmt(rd.expected_leaks)}`, "", mark(rd.stored_leaks === rd.expected_leaks)]);
    for (const [name, e] of Object.entries(rd.endpoints)) out.push(endpointRow(name, d, e));
  }
  for (const [d, e] of Object.entries(r.export ?? {})) {
    out.push([`export bundle, ${fmt(e.records)} records (${fmt(e.bundle_mb)} MB; load ${fmt(e.load_seconds)} s)`, d, `${e.export_seconds} s, peak RSS ${fmt(e.export_max_rss_mb)} MB (heap capped at 128 MB)`, "bounded", ""]);
    out.push([`verify-bundle of it (offline)`, d, `${e.verify_seconds} s, peak RSS ${fmt(e.verify_max_rss_mb)} MB`, "verifies", mark(e.verified)]);
  }
  if (r.browser) {
    out.push([`timeline page, ${fmt(r.browser.events)} events: interactive`, "sqlite", `${fmt(r.browser.interactive_ms)} ms`, `≤ ${fmt(TARGETS.browser_ms)}`, mark(r.browser.interactive_ms <= TARGETS.browser_ms)]);
    out.push(["timeline page: DOM nodes", "sqlite", fmt(r.browser.dom_nodes), `< ${fmt(TARGETS.dom_nodes)}`, mark(r.browser.dom_nodes < TARGETS.dom_nodes)]);
  }
  return out;
}

function endpointRow(name: string, dialect: string, e: EndpointResult): string[] {
  if ("missing" in e) return [`${name} ${e.path}`, dialect, e.missing, "", ""];
  const target = name === "agents_list" ? TARGETS.agents_p50_ms : name.startsWith("timeline") ? TARGETS.timeline_p50_ms : null;
  return [`${name} p50 / p95`, dialect, `${e.p50_ms} / ${e.p95_ms} ms`, target ? `p50 ≤ ${target} ms` : "", target ? mark(e.p50_ms <= target) : ""];
}

export function printTable(r: BenchResults): void {
  const table = rows(r);
  const widths = table[0].map((_, c) => Math.max(...table.map((row) => row[c].length)));
  console.log(`\nVerdict bench (${r.mode}), ${r.date}, ${r.machine.cpus} × ${r.machine.cpu}, ${r.machine.memory_gb} GB, Node ${r.machine.node}`);
  for (const [i, row] of table.entries()) {
    console.log(row.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd());
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
  for (const n of r.notes) console.log(`note: ${n}`);
}
