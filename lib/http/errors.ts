// The one error envelope of the API: {"error": {"code", "message", "details"}}.
import { z } from "zod";

export const errorDetailSchema = z.object({ path: z.string(), message: z.string() });
export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.array(errorDetailSchema) }),
});
export type ErrorDetail = z.infer<typeof errorDetailSchema>;

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, "not_found", `${what} was not found.`);

export function errorResponse(status: number, code: string, message: string, details: ErrorDetail[] = [], headers: Record<string, string> = {}): Response {
  return Response.json({ error: { code, message, details } }, { status, headers: { "Cache-Control": "no-store", ...headers } });
}

/** Zod issues → field paths ("limit", "records.3.created_at"). */
export function zodDetails(error: z.ZodError, prefix: string[] = []): ErrorDetail[] {
  return error.issues.map((i) => ({ path: [...prefix, ...i.path.map(String)].join(".") || "(root)", message: i.message }));
}

/** A cleared filter (`?agent_id=`) means no filter, not a bad value. */
export function presentParams(params: URLSearchParams): URLSearchParams {
  return new URLSearchParams([...params].filter(([, v]) => v !== ""));
}

/** Parses query parameters with a Zod schema, or throws a 400 naming the fields. */
export function parseQuery<T extends z.ZodType>(schema: T, params: URLSearchParams): z.output<T> {
  const obj: Record<string, string> = {};
  for (const [k, v] of params) obj[k] = v;
  const r = schema.safeParse(obj);
  if (!r.success) throw new ApiError(400, "invalid_request", "Some query parameters are not valid.", zodDetails(r.error));
  return r.data;
}

/** Parses a JSON body with a Zod schema, or throws a 400 naming the fields. */
export async function parseJsonBody<T extends z.ZodType>(schema: T, req: Request, maxBytes = 1024 * 1024): Promise<z.output<T>> {
  return parseJsonText(schema, await readBodyText(req, maxBytes));
}

/** Parses JSON text with a Zod schema, or throws a 400 naming the fields. */
export function parseJsonText<T extends z.ZodType>(schema: T, text: string): z.output<T> {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, "invalid_json", `The body is not valid JSON: ${(e as Error).message}`);
  }
  const r = schema.safeParse(body);
  if (!r.success) throw new ApiError(400, "invalid_request", "Some fields are not valid.", zodDetails(r.error));
  return r.data;
}

/** Reads the body as UTF-8, refusing more than maxBytes (413) and invalid UTF-8 (400). */
export async function readBodyText(req: Request, maxBytes: number): Promise<string> {
  return decodeUtf8(await readBodyBytes(req, maxBytes));
}

export function decodeUtf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ApiError(400, "invalid_encoding", "The body is not valid UTF-8.");
  }
}

/** Reads the body's bytes, refusing more than maxBytes (413) before reading further. */
export async function readBodyBytes(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel().catch(() => {});
        throw tooLarge(maxBytes);
      }
      chunks.push(value);
    }
  }
  return Buffer.concat(chunks);
}

export function tooLarge(maxBytes: number, what = "The body") {
  return new ApiError(413, "payload_too_large", `${what} is larger than ${Math.round(maxBytes / 1024 / 1024)} MiB.`);
}

/**
 * The database's disk is full (SQLite SQLITE_FULL, PostgreSQL 53100 disk_full): the
 * operator's problem, not a bug, and worth saying plainly. Looks through Prisma's wrappers.
 */
export function isStorageFull(e: unknown): boolean {
  for (let x: unknown = e, depth = 0; x && typeof x === "object" && depth < 6; depth++) {
    const o = x as { code?: unknown; originalCode?: unknown; message?: unknown; cause?: unknown; meta?: unknown };
    if (o.code === "SQLITE_FULL" || o.originalCode === "SQLITE_FULL" || o.code === "53100" || o.originalCode === "53100") return true;
    if (typeof o.message === "string" && /database or disk is full|No space left on device|could not extend file/i.test(o.message)) return true;
    x = o.cause ?? o.meta;
  }
  return false;
}

export const storageFullResponse = () =>
  errorResponse(507, "storage_full", "The database's disk is full: nothing from this request was stored. Free space and retry; Verdict needs no restart.", [], { "Retry-After": "60" });
