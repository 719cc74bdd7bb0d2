// The ingest worker: parses and prepares request bodies (JSON.parse, validation,
// normalization, classification) on a second core while the request thread stores
// another batch. Text in; a PreparedBatch, or why the body is refused, out.
import { parentPort } from "node:worker_threads";
import { prepareBody, type PrepareRequest, type PrepareReply } from "./prepare-body";

parentPort?.on("message", (m: PrepareRequest) => {
  let reply: PrepareReply;
  try {
    reply = { id: m.id, result: prepareBody(m.text, m.contentType) };
  } catch (e) {
    reply = { id: m.id, failure: (e as Error).stack ?? String(e) };
  }
  parentPort!.postMessage(reply);
});
parentPort?.postMessage({ ready: true });
