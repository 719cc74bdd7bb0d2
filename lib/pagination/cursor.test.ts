import { describe, expect, it } from "vitest";
import { decodeCursor, decodeTsIdCursor, encodeCursor, encodeTsIdCursor } from "./cursor";

const b64 = (s: string) => Buffer.from(s, "utf8").toString("base64url");

describe("cursor codec", () => {
  it("round-trips what it encodes", () => {
    expect(decodeTsIdCursor(encodeTsIdCursor({ ts: 1_700_000_000_000_000, id: "a:b/ü" }))).toEqual({ ts: 1_700_000_000_000_000, id: "a:b/ü" });
    expect(decodeCursor(encodeCursor([5, 2, "x"]), ["int", [0, 1, 2], "id"] as const)).toEqual([5, 2, "x"]);
  });

  it("refuses a timestamp a bigint cannot hold, an id with U+0000, and anything not its own", () => {
    expect(decodeTsIdCursor(b64("[1e+23,\"x\"]"))).toBeNull();
    expect(decodeTsIdCursor(b64("[1.5,\"x\"]"))).toBeNull();
    expect(decodeTsIdCursor(b64(JSON.stringify([1, "a\u0000b"])))).toBeNull();
    expect(decodeTsIdCursor(b64("99999999999999999999999:x"))).toBeNull();
    expect(decodeTsIdCursor("garbage")).toBeNull();
    expect(decodeTsIdCursor(b64("[1,\"x\",2]"))).toBeNull();
    expect(decodeTsIdCursor(b64("{\"ts\":1,\"id\":\"x\"}"))).toBeNull();
    expect(decodeCursor(b64("[1,3,\"x\"]"), ["int", [0, 1, 2], "id"] as const)).toBeNull();
  });
});
