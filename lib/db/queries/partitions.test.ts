// The month arithmetic of PostgreSQL's intercept partitions (the database function names and
// bounds them the same way: migration 0015), and the keyed insert's SQL shape.
import { describe, expect, it } from "vitest";
import { monthBoundsUs, monthOfMs, monthOfTs, partitionName } from "./partitions";
import { postgresKeyedInsertSql } from "./insert";

describe("intercept partitions by month", () => {
  it("names and bounds a month in UTC, across a year's end", () => {
    const dec = monthOfMs(Date.UTC(2026, 11, 31, 23, 59, 59, 999))!;
    expect(partitionName(dec)).toBe("intercepts_2026_12");
    expect(partitionName(dec + 1)).toBe("intercepts_2027_01");
    expect(monthBoundsUs(dec)).toEqual([Date.UTC(2026, 11, 1) * 1000, Date.UTC(2027, 0, 1) * 1000]);
    // The last microsecond of a month is in it; the next one is in the next month.
    expect(monthOfTs(Date.UTC(2027, 0, 1) * 1000 - 1)).toBe(dec);
    expect(monthOfTs(Date.UTC(2027, 0, 1) * 1000)).toBe(dec + 1);
    expect(partitionName(monthOfTs(Date.UTC(1999, 0, 1) * 1000)!)).toBe("intercepts_1999_01");
  });

  it("has no month for a time no date can hold", () => {
    expect(monthOfTs(9e21)).toBeNull();
    expect(monthOfTs(Number.NaN)).toBeNull();
  });

  it("inserts the keys first and only the rows whose key was new, in one statement with one parameter", () => {
    const types = new Map([["id", "text"], ["dedupe_key", "text"], ["ts", "bigint"]]);
    const sql = postgresKeyedInsertSql("intercepts", "intercept_dedupe", ["id", "dedupe_key", "ts"], types);
    expect(sql.match(/\?/g)).toHaveLength(1);
    expect(sql).toContain(`INSERT INTO "intercept_dedupe" ("dedupe_key", "id", "ts") SELECT "dedupe_key", "id", "ts" FROM "incoming" ON CONFLICT ("dedupe_key") DO NOTHING RETURNING "id"`);
    expect(sql).toContain(`INSERT INTO "intercepts" ("id", "dedupe_key", "ts") SELECT "id", "dedupe_key", "ts" FROM "incoming" WHERE "id" IN (SELECT "id" FROM "new_keys") RETURNING "id"`);
    expect(() => postgresKeyedInsertSql("intercepts", "intercept_dedupe", ["id", "ts"], types)).toThrow(/needs column dedupe_key/);
  });
});
