// At most VERDICT_INGEST_CONCURRENCY ingest bodies are read and processed at once; the
// others wait their turn (first come, first served) with their bodies still unread on the
// socket, so memory does not grow with the number of clients sending at the same time
// (measured: 48 parallel 10 MiB bodies took 1.85 GB before). A request that waits longer
// than VERDICT_INGEST_QUEUE_WAIT_MS gets 503 with Retry-After, and can simply be sent again.
// One per process (globalThis), shared by every route that takes a large body.
import { setting } from "../config/server-env";
import { ApiError } from "../http/errors";

interface Slots {
  size: number;
  busy: number;
  waiting: Array<() => void>;
}

const g = globalThis as unknown as { __verdictIngestSlots?: Slots };

function slots(): Slots {
  const size = setting("VERDICT_INGEST_CONCURRENCY");
  const s = (g.__verdictIngestSlots ??= { size, busy: 0, waiting: [] });
  s.size = size;
  return s;
}

function release(s: Slots) {
  const next = s.waiting.shift();
  if (next) next(); // the slot passes straight to the next in line
  else s.busy--;
}

async function acquire(s: Slots, waitMs: number): Promise<void> {
  if (s.busy < s.size) {
    s.busy++;
    return;
  }
  await new Promise<void>((resolve, reject) => {
    const turn = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      s.waiting.splice(s.waiting.indexOf(turn), 1);
      const retry = Math.max(1, Math.ceil(waitMs / 1000));
      reject(new ApiError(503, "overloaded", `Verdict is storing ${s.size} other requests; send this one again in ${retry} s. Nothing from it was stored.`, [], { "Retry-After": String(retry) }));
    }, waitMs);
    s.waiting.push(turn);
  });
}

/**
 * Reads the rest of a body we will not use and drops it chunk by chunk (no memory kept), so
 * the client, still sending, gets our answer instead of a reset connection.
 */
async function discardBody(req: Request): Promise<void> {
  if (!req.body || req.bodyUsed) return;
  const reader = req.body.getReader();
  try {
    for (;;) if ((await reader.read()).done) break;
  } catch {
    /* the client went away: nothing to answer */
  }
}

/** Runs fn (which reads and stores req's body) once a slot is free; 503 with Retry-After when none frees in time. */
export async function withIngestSlot<T>(req: Request, fn: () => Promise<T>): Promise<T> {
  const s = slots();
  try {
    await acquire(s, setting("VERDICT_INGEST_QUEUE_WAIT_MS"));
  } catch (e) {
    await discardBody(req);
    throw e;
  }
  try {
    return await fn();
  } finally {
    release(s);
  }
}

/** For tests and monitoring: bodies being processed, and requests waiting for a turn. */
export function ingestSlotUse(): { busy: number; waiting: number; size: number } {
  const s = slots();
  return { busy: s.busy, waiting: s.waiting.length, size: s.size };
}
