// Where request bodies are prepared: on one worker thread when the machine has a core to
// spare, so that on a 2-core machine parsing and validation of one batch overlap with the
// storage of another (the request thread is otherwise busy with both). Whatever happens to
// the worker — it cannot start here, it crashes, it is switched off with
// VERDICT_INGEST_WORKER=0 — a body is then prepared on the request thread: same function,
// same result, never lost.
import os from "node:os";
import { SHARE_ENV, Worker } from "node:worker_threads";
import { prepareBody, type PreparedBody, type PrepareReply } from "./prepare-body";
import { setting } from "../config/server-env";

interface Pending {
  text: string;
  contentType: string;
  resolve: (r: PreparedBody) => void;
  reject: (e: unknown) => void;
}

/** Prepares on this thread what the worker could not: the same function, so the same answer (or the same exception). */
function prepareHere(p: Pending): void {
  try {
    p.resolve(prepareBody(p.text, p.contentType));
  } catch (e) {
    p.reject(e);
  }
}

const MAX_RESTARTS = 5;

export class PreparePool {
  private worker: Worker | null = null;
  private ready = false;
  private readyWaiters: ((onWorker: boolean) => void)[] = [];
  private restarts = 0;
  private unavailable = false;
  private nextId = 1;
  private pending = new Map<number, Pending>();

  prepare(text: string, contentType: string): Promise<PreparedBody> {
    const worker = this.usableWorker();
    if (!worker) return Promise.resolve(prepareBody(text, contentType));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { text, contentType, resolve, reject });
      worker.postMessage({ id, text, contentType });
    });
  }

  /** Starts the worker if need be; resolves true once it takes work, false if bodies are prepared here. */
  whenReady(): Promise<boolean> {
    this.usableWorker();
    if (this.ready || this.unavailable || !this.worker) return Promise.resolve(this.ready);
    return new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  /** Stops the worker; what it held is prepared here, and the next body starts a new one. */
  async terminate(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.lost(worker, new Error("ingest worker terminated"), false);
    await worker.terminate();
  }

  /** The worker if it is up; starts it (in the background) when it is not. */
  private usableWorker(): Worker | null {
    if (this.unavailable || !setting("VERDICT_INGEST_WORKER")) return null;
    if (!this.worker) this.start();
    return this.ready ? this.worker : null;
  }

  private start(): void {
    let worker: Worker;
    try {
      // A production build bundles the worker, recognising exactly `new Worker(new URL(...))`.
      // From source (tests, tsx scripts) this module is TypeScript, and so is the worker entry,
      // which a worker loads only after registering tsx in that worker itself.
      const fromSource = import.meta.url.endsWith(".ts");
      worker = fromSource
        ? new Worker(`import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url.replace(/prepare-pool\.ts$/, "prepare-worker.ts"))}); })`, { eval: true, env: SHARE_ENV })
        : new Worker(new URL("./prepare-worker.ts", import.meta.url), { env: SHARE_ENV });
    } catch (e) {
      this.giveUp(e as Error);
      return;
    }
    this.worker = worker;
    this.ready = false;
    worker.unref(); // never what keeps a process alive
    worker.on("message", (m: PrepareReply | { ready: true }) => {
      if ("ready" in m) {
        if (process.env.NODE_ENV === "production" && this.restarts === 0) console.log("[verdict] ingest worker ready: request bodies are prepared on a second thread");
        this.ready = true;
        this.settleWaiters();
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if ("failure" in m) prepareHere(p); // throws into the request here, as it would have without a worker
      else p.resolve(m.result);
    });
    worker.on("error", (e) => this.lost(worker, e));
    worker.on("exit", (code) => this.lost(worker, new Error(`ingest worker exited with code ${code}`)));
  }

  /** The worker is gone: what it held is prepared here; a worker that never came up is not tried again. */
  private lost(worker: Worker, e: Error, unexpected = true): void {
    if (this.worker !== worker) return;
    const neverReady = !this.ready;
    this.worker = null;
    this.ready = false;
    const held = [...this.pending.values()];
    this.pending.clear();
    for (const p of held) prepareHere(p);
    if (unexpected && (neverReady || ++this.restarts > MAX_RESTARTS)) this.giveUp(e);
    this.settleWaiters();
  }

  private settleWaiters(): void {
    const waiters = this.readyWaiters;
    this.readyWaiters = [];
    for (const w of waiters) w(this.ready);
  }

  private giveUp(e: Error): void {
    this.unavailable = true;
    if (process.env.NODE_ENV === "production") console.warn(`[verdict] ingest worker unavailable, preparing on the request thread: ${e.message}`);
  }
}

const globalForPool = globalThis as unknown as { __verdictPreparePool?: PreparePool };

/** Parses and prepares an ingest body, on the ingest worker when there is one. */
export function prepareIngestBody(text: string, contentType: string): Promise<PreparedBody> {
  if (os.availableParallelism() < 2) return Promise.resolve(prepareBody(text, contentType));
  globalForPool.__verdictPreparePool ??= new PreparePool();
  return globalForPool.__verdictPreparePool.prepare(text, contentType);
}
