// Request bodies sent with Content-Encoding (OTLP exporters send gzip when compression is on).
// Inflated by zlib with a cap on the output: a small body that would inflate to gigabytes
// (a gzip bomb) stops at the cap and is refused, so memory never grows past it.
import { gunzip, inflate, type ZlibOptions } from "node:zlib";
import { ApiError, tooLarge } from "./errors";

type Inflate = (buf: Buffer, options: ZlibOptions, cb: (err: Error | null, out: Buffer) => void) => void;
const DECODERS: Record<string, Inflate> = { gzip: gunzip, "x-gzip": gunzip, deflate: inflate };

/** The Content-Encoding header as one lower-case token; null for none or identity; 415 for one Verdict cannot decode. */
export function contentEncodingOf(req: Request): string | null {
  const v = (req.headers.get("content-encoding") ?? "").trim().toLowerCase();
  if (v === "" || v === "identity") return null;
  if (!DECODERS[v]) {
    throw new ApiError(415, "unsupported_media_type", `Content-Encoding "${v}" is not supported: send the body as is, or with Content-Encoding: gzip.`);
  }
  return v;
}

/** The body as sent, decompressed; at most maxBytes after decompression (413 beyond). */
export async function decodeContentEncoding(body: Buffer, encoding: string | null, maxBytes: number): Promise<Buffer> {
  if (encoding === null) return body;
  const decode = DECODERS[encoding];
  return new Promise((resolve, reject) => {
    // maxOutputLength makes zlib stop as soon as the output passes the cap (ERR_BUFFER_TOO_LARGE).
    decode(body, { maxOutputLength: maxBytes }, (err, out) => {
      if (!err) return resolve(out);
      if ((err as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") return reject(tooLarge(maxBytes, "The body, once decompressed,"));
      reject(new ApiError(400, "invalid_encoding", `The body is not valid ${encoding === "deflate" ? "deflate" : "gzip"} data (Content-Encoding: ${encoding}): ${err.message}.`));
    });
  });
}
