// Streams an evidence bundle as the response body, pulled by the client (backpressure): the
// server holds one chunk at a time. The first line is produced before answering, so a bad
// selection (unknown handoff) still gets a proper error status instead of a broken download.
import { ApiError } from "./errors";
import { ExportNotFound } from "../evidence-chain/export";

const CHUNK = 64 * 1024;

export async function bundleResponse(lines: AsyncGenerator<string>, filename: string, headers: Record<string, string> = {}): Promise<Response> {
  let first: IteratorResult<string>;
  try {
    first = await lines.next();
  } catch (e) {
    if (e instanceof ExportNotFound) throw new ApiError(404, "not_found", `${e.message} does not exist.`);
    throw e;
  }
  const encoder = new TextEncoder();
  let pending = first.done ? "" : first.value;
  let finished = !!first.done;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        while (!finished && pending.length < CHUNK) {
          const next = await lines.next();
          if (next.done) finished = true;
          else pending += next.value;
        }
      } catch (e) {
        // Mid-stream: the download ends without its manifest, so it cannot verify.
        console.error("[verdict] export failed mid-stream:", (e as Error).message);
        controller.error(e);
        return;
      }
      if (pending) controller.enqueue(encoder.encode(pending));
      pending = "";
      if (finished) controller.close();
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="${filename.replace(/[^A-Za-z0-9._-]/g, "_")}"`,
      "Cache-Control": "no-store",
      ...headers,
    },
  });
}

/** A file name that says what and when: verdict-evidence-<what>-<UTC time>.ndjson */
export const bundleFilename = (what: string) => `verdict-evidence-${what}-${new Date().toISOString().replace(/[:.]/g, "-")}.ndjson`;
