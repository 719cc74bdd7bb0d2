// Stores what prepare.ts made of a request's records: all valid records in one transaction.
import { getDb, type Db } from "../db/client";
import type { Dialect } from "../db/config";
import { storeBatch } from "./store";
import type { IngestResponse } from "../api-contract/ingest";
import { prepareBatch, type PreparedBatch, type RawRecord } from "./prepare";

export interface IngestOptions {
  db?: Db;
  dialect?: Dialect;
  env?: NodeJS.ProcessEnv;
}

/** validate → normalize → classify → store (the importers' and the CLI's way in). */
export async function ingestRecords(raw: RawRecord[], options: IngestOptions = {}): Promise<IngestResponse> {
  return storePrepared(prepareBatch(raw, options.env ?? process.env), options);
}

/** Stores a prepared batch; the response counts what was new, repeated and refused. */
export async function storePrepared({ batch, size, valid, rejected }: PreparedBatch, options: Pick<IngestOptions, "db" | "dialect"> = {}): Promise<IngestResponse> {
  const { db, dialect } = options.db && options.dialect ? { db: options.db, dialect: options.dialect } : getDb();
  const accepted = size ? await storeBatch({ db, dialect }, batch) : 0;
  return { accepted, duplicates: valid - accepted, rejected };
}

