import { describe, expect, it } from "vitest";
import { displayUrl, parseImportArgs } from "./import";

describe("parseImportArgs", () => {
  it("reads the source and options", () => {
    expect(parseImportArgs(["postgres://u@h/db", "--follow", "--interval", "0.5", "--source=prod", "--batch-size", "200"])).toEqual({ target: "postgres://u@h/db", follow: true, intervalMs: 500, source: "prod", batchSize: 200 });
    expect(parseImportArgs(["x.csv"])).toEqual({ target: "x.csv", follow: false, intervalMs: 5000, batchSize: 1000 });
    expect(parseImportArgs(["--help"])).toEqual({ help: true });
  });

  it("says what is wrong", () => {
    expect(parseImportArgs([])).toEqual({ error: expect.stringMatching(/postgres:\/\/ URL or a file/) });
    expect(parseImportArgs(["x.csv", "--follow"])).toEqual({ error: expect.stringMatching(/postgres/) });
    expect(parseImportArgs(["x.csv", "--batch-size", "9000"])).toEqual({ error: expect.stringMatching(/1 to 5000/) });
    expect(parseImportArgs(["x.csv", "--nope"])).toEqual({ error: "unknown option --nope" });
    expect(parseImportArgs(["a.csv", "b.csv"])).toEqual({ error: expect.stringMatching(/one source at a time/) });
  });

  it("never shows a password", () => {
    expect(displayUrl("postgres://u:secret@h:5432/db")).toBe("postgres://u:***@h:5432/db");
  });
});
