import { gzipSync, deflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { contentEncodingOf, decodeContentEncoding } from "./content-encoding";

const MiB = 1024 * 1024;
const req = (encoding?: string) => new Request("http://localhost/x", { method: "POST", headers: encoding ? { "content-encoding": encoding } : {} });

describe("Content-Encoding", () => {
  it("inflates gzip and deflate, passes identity through", async () => {
    const body = Buffer.from("hello ".repeat(1000));
    expect(await decodeContentEncoding(gzipSync(body), contentEncodingOf(req("gzip")), MiB)).toEqual(body);
    expect(await decodeContentEncoding(deflateSync(body), contentEncodingOf(req("Deflate")), MiB)).toEqual(body);
    expect(contentEncodingOf(req())).toBeNull();
    expect(contentEncodingOf(req("identity"))).toBeNull();
  });

  it("refuses a gzip bomb once the output passes the cap (413), not after inflating it", async () => {
    const member = gzipSync(Buffer.alloc(16 * MiB));
    const bomb = Buffer.concat(Array.from({ length: 32 }, () => member)); // 512 MiB inflated, about 500 KiB on the wire
    expect(bomb.length).toBeLessThan(MiB);
    const before = process.memoryUsage().arrayBuffers;
    await expect(decodeContentEncoding(bomb, "gzip", 10 * MiB)).rejects.toMatchObject({ status: 413, code: "payload_too_large", message: expect.stringMatching(/once decompressed/) });
    // inflating it whole would need 512 MiB; stopping at the cap needs about 10
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(64 * MiB);
  }, 30_000);

  it("refuses bytes that are not gzip (400) and encodings it cannot decode (415)", async () => {
    await expect(decodeContentEncoding(Buffer.from("not gzip at all"), "gzip", MiB)).rejects.toMatchObject({ status: 400, code: "invalid_encoding" });
    await expect(decodeContentEncoding(gzipSync(Buffer.from("x".repeat(5000))).subarray(0, 20), "gzip", MiB)).rejects.toMatchObject({ status: 400 }); // truncated
    expect(() => contentEncodingOf(req("br"))).toThrow(expect.objectContaining({ status: 415, code: "unsupported_media_type" }));
  });
});
