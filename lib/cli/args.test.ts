import { describe, expect, it } from "vitest";
import { parseImportArgs } from "./import";

// What util.parseArgs changed at the edges, and what it kept (lib/cli/import.test.ts has the rest).
describe("import options read with util.parseArgs", () => {
  it("an option without its value gets the option's own sentence", () => {
    expect(parseImportArgs(["x.csv", "--source"])).toEqual({ error: "--source needs a name of 1 to 200 characters" });
    expect(parseImportArgs(["x.csv", "--source="])).toEqual({ error: "--source needs a name of 1 to 200 characters" });
    expect(parseImportArgs(["x.csv", "--batch-size", "--follow"])).toEqual({ error: "--batch-size must be a whole number from 1 to 5000" });
    expect(parseImportArgs(["x.csv", "--format"])).toEqual({ error: "--format must be ndjson, json or csv" });
  });

  it("reads -, --, short and flag misuse the way a user expects", () => {
    expect(parseImportArgs(["-", "--format=ndjson"])).toEqual({ target: "-", format: "ndjson", follow: false, intervalMs: 5000, batchSize: 1000 });
    expect(parseImportArgs(["--", "-odd-name.csv"])).toMatchObject({ target: "-odd-name.csv" });
    expect(parseImportArgs(["x.csv", "-x"])).toEqual({ error: "unknown option -x" });
    expect(parseImportArgs(["x.csv", "--follow=yes"])).toEqual({ error: "--follow takes no value" });
    expect(parseImportArgs(["x.csv", "--nope", "-h"])).toEqual({ help: true });
  });
});
