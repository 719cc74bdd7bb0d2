// A small RFC 4180 CSV reader, as PostgreSQL's `COPY ... CSV` writes it: fields separated by
// commas, quoted with `"` when needed, `""` for a quote inside quotes, newlines allowed inside
// quotes. COPY writes NULL as an unquoted empty field and the empty string as `""`, so each
// field says whether it was quoted: an unquoted empty field is NULL.
// Incremental: text arrives in chunks (a file stream) and records come out as they complete.

export interface CsvField {
  value: string;
  quoted: boolean;
}

export interface CsvRecord {
  fields: CsvField[];
  /** the 1-based line the record starts on */
  line: number;
  /** set when the record is malformed (e.g. a quote in the middle of an unquoted field) */
  error?: string;
}

export class CsvReader {
  private field = "";
  private quoted = false;
  private inQuotes = false;
  /** just saw a closing quote (or a `""` pair is pending) */
  private afterQuote = false;
  private fields: CsvField[] = [];
  private line = 1;
  private startLine = 1;
  private error: string | undefined;
  private pendingCR = false;
  private started = false;

  /** Feeds a chunk; returns the records it completed. */
  push(chunk: string): CsvRecord[] {
    const out: CsvRecord[] = [];
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.pendingCR) {
        this.pendingCR = false;
        if (c === "\n") continue; // CRLF ends the record once
      }
      if (this.inQuotes) {
        if (c === '"') {
          this.inQuotes = false;
          this.afterQuote = true;
        } else {
          if (c === "\n") this.line++;
          this.field += c;
        }
        this.started = true;
        continue;
      }
      if (this.afterQuote && c === '"') {
        // `""` inside a quoted field: one literal quote, still quoted
        this.field += '"';
        this.inQuotes = true;
        this.afterQuote = false;
        continue;
      }
      if (c === ",") {
        this.endField();
      } else if (c === "\n" || c === "\r") {
        this.line++;
        if (c === "\r") this.pendingCR = true;
        const rec = this.endRecord();
        if (rec) out.push(rec);
      } else if (c === '"') {
        if (this.field === "" && !this.quoted) {
          this.quoted = true;
          this.inQuotes = true;
        } else {
          this.error ??= `a quote (") in the middle of an unquoted field ${this.fields.length + 1}`;
          this.field += c;
        }
        this.started = true;
      } else {
        if (this.afterQuote) this.error ??= `characters after the closing quote of field ${this.fields.length + 1}`;
        this.field += c;
        this.started = true;
      }
    }
    return out;
  }

  /** Ends the input; returns the last record if the text did not end with a newline. */
  end(): CsvRecord[] {
    if (this.inQuotes) {
      this.error ??= "a quoted field is never closed";
      this.inQuotes = false;
    }
    const rec = this.endRecord();
    return rec ? [rec] : [];
  }

  private endField() {
    this.fields.push({ value: this.field, quoted: this.quoted });
    this.field = "";
    this.quoted = false;
    this.afterQuote = false;
    this.started = true;
  }

  private endRecord(): CsvRecord | undefined {
    const blank = !this.started && this.fields.length === 0 && this.field === "";
    let rec: CsvRecord | undefined;
    if (!blank) {
      this.endField();
      rec = { fields: this.fields, line: this.startLine, ...(this.error ? { error: this.error } : {}) };
    }
    this.fields = [];
    this.field = "";
    this.quoted = false;
    this.afterQuote = false;
    this.error = undefined;
    this.started = false;
    this.startLine = this.line;
    return rec;
  }
}

/** Parses a whole CSV text (for tests and small inputs). */
export function parseCsv(text: string): CsvRecord[] {
  const r = new CsvReader();
  return [...r.push(text), ...r.end()];
}
