// A request body → what storage needs, or why the body as a whole is refused. The same
// function runs on the ingest worker and, when no worker is available, on the request thread.
import { parseIngestBody, type BodyProblem } from "../api-contract/ingest";
import { prepareBatch, type PreparedBatch } from "./prepare";

export type PreparedBody = { prepared: PreparedBatch } | { problem: BodyProblem };

export interface PrepareRequest {
  id: number;
  text: string;
  contentType: string;
}
export type PrepareReply = { id: number; result: PreparedBody } | { id: number; failure: string };

export function prepareBody(text: string, contentType: string): PreparedBody {
  const parsed = parseIngestBody(text, contentType);
  if ("status" in parsed) return { problem: parsed };
  return { prepared: prepareBatch(parsed.records, process.env, text) };
}
