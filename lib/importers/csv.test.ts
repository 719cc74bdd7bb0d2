import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { CsvReader, parseCsv } from "./csv";

describe("parseCsv", () => {
  it("reads COPY ... CSV output: quotes, doubled quotes, NULL vs empty string", () => {
    const recs = parseCsv('id,name,note\n1,"a ""quoted"" {""k"": 1}",\n2,"",x\n');
    expect(recs.map((r) => r.fields.map((f) => f.value))).toEqual([["id", "name", "note"], ["1", 'a "quoted" {"k": 1}', ""], ["2", "", "x"]]);
    expect(recs[1].fields[2]).toEqual({ value: "", quoted: false }); // NULL
    expect(recs[2].fields[1]).toEqual({ value: "", quoted: true }); // empty string
  });

  it("keeps newlines inside quotes and numbers records by their first line", () => {
    const recs = parseCsv('a,b\r\n1,"x\ny"\r\n\r\n2,z');
    expect(recs.map((r) => r.line)).toEqual([1, 2, 5]);
    expect(recs[1].fields[1].value).toBe("x\ny");
    expect(recs[2].fields.map((f) => f.value)).toEqual(["2", "z"]);
  });

  it("reports malformed records instead of guessing", () => {
    expect(parseCsv('1,ab"c\n')[0].error).toMatch(/middle of an unquoted field 2/);
    expect(parseCsv('1,"ab"c\n')[0].error).toMatch(/after the closing quote/);
    expect(parseCsv('1,"never closed\n')[0].error).toMatch(/never closed/);
  });

  it("gives the same records however the text is split into chunks", () => {
    const cell = fc.string().map((s) => (/[",\r\n]/.test(s) || s === "" ? `"${s.replace(/"/g, '""')}"` : s));
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 5 }), fc.array(fc.nat(), { maxLength: 6 }), (rows, cuts) => {
        const text = rows.map((r) => r.join(",")).join("\n") + "\n";
        const whole = parseCsv(text);
        const reader = new CsvReader();
        const points = [...new Set(cuts.map((c) => c % (text.length + 1)))].sort((a, b) => a - b);
        const chunked = [];
        let at = 0;
        for (const p of [...points, text.length]) {
          chunked.push(...reader.push(text.slice(at, p)));
          at = p;
        }
        chunked.push(...reader.end());
        expect(chunked).toEqual(whole);
        expect(whole.length).toBe(rows.length);
      }),
    );
  });
});

describe("a malformed record does not take its neighbours with it", () => {
  // Why this reader is kept rather than csv-parse (tried for issue 16): after an invalid
  // closing quote csv-parse stays inside the quotes and reads every later record as part of
  // the broken one ("quote not closed" at the end), so the valid rows after it are lost.
  it("keeps the well-formed records after a bad closing quote or a stray quote", () => {
    for (const bad of ['1,"ab"c', '1,ab"c', '1,"ab" ']) {
      const recs = parseCsv(`${bad}\n2,"x"\n3,y\n`);
      expect(recs.map((r) => [r.line, Boolean(r.error)]), bad).toEqual([[1, true], [2, false], [3, false]]);
      expect(recs[1].fields).toEqual([{ value: "2", quoted: false }, { value: "x", quoted: true }]);
    }
  });
});
