// PostgreSQL COPY text format: one line per row, tab-separated, \N for NULL, with
// backslash, tab, newline and carriage return escaped.
export function copyField(v: unknown): string {
  if (v === null || v === undefined) return "\\N";
  if (typeof v === "boolean") return v ? "t" : "f";
  return String(v).replace(/[\\\t\n\r]/g, (c) => (c === "\\" ? "\\\\" : c === "\t" ? "\\t" : c === "\n" ? "\\n" : "\\r"));
}

export function copyLines(rows: unknown[][]): string {
  let out = "";
  for (const r of rows) out += r.map(copyField).join("\t") + "\n";
  return out;
}
