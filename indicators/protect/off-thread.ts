import { Worker } from "node:worker_threads";
import type { Jobs } from "./job.ts";

/**
 * Runs the protection step's jobs (job.ts) in worker threads, so that the server's main thread keeps
 * answering while a release is protected and audited (tens of seconds of CPU on the demo data). The
 * parts of a split job (split.ts) run side by side, one thread each; a thread is started at its first
 * job and kept for the next ones (HiGHS and the modules stay loaded), and does not keep the process
 * alive while no job of its own is under way. Each thread runs its jobs in the order sent.
 */

/** A job sent to the worker thread. */
export interface JobRequest {
  id: number;
  kind: keyof Jobs;
  input: unknown;
}

/** The worker thread's answer to a job: its result, or the error it threw. */
export type JobResponse =
  | { id: number; result: unknown }
  | { id: number; error: { message: string; stack?: string | undefined } };

/** The memory of every typed array in value (nested objects and arrays): moved, not copied, by postMessage. */
export function transferList(value: unknown, found = new Set<ArrayBuffer>()): ArrayBuffer[] {
  if (ArrayBuffer.isView(value)) {
    if (value.buffer instanceof ArrayBuffer) found.add(value.buffer);
  } else if (Array.isArray(value)) {
    for (const item of value) transferList(item, found);
  } else if (
    value !== null &&
    typeof value === "object" &&
    Object.getPrototypeOf(value) === Object.prototype
  ) {
    for (const item of Object.values(value)) transferList(item, found);
  }
  return [...found];
}

/**
 * Whether an ArrayBuffer was moved to another thread already. Node 20 sends a message whose transfer
 * list holds such a buffer without an error and the thread never receives it (a job that never
 * answers), so a job is refused before it is sent. Only an empty buffer can be one: `detached` where
 * Node has it (22 on), else a clone, which throws for a moved buffer.
 */
function isDetached(buffer: ArrayBuffer): boolean {
  if (buffer.byteLength > 0) return false;
  const detached = (buffer as { detached?: boolean }).detached;
  if (detached !== undefined) return detached;
  try {
    structuredClone(buffer);
    return false;
  } catch {
    return true;
  }
}

/**
 * The worker thread, started the way this module itself was loaded: compiled JavaScript (dist/, as
 * `seuranta` and `npm start` run) starts worker.js beside it; the TypeScript sources (tests, `npm run
 * bench`, `SEURANTA_FROM_SOURCE=1`) start worker.ts after registering the tsx loader in the new thread,
 * since on Node 20 neither a loader registered here nor `--import` reaches a worker.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./worker.js", import.meta.url));
  const entry = new URL("./worker.ts", import.meta.url).href;
  const boot = [
    `import { register } from ${JSON.stringify(import.meta.resolve("tsx/esm/api"))};`,
    "register();",
    `await import(${JSON.stringify(entry)});`,
  ].join("\n");
  return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`));
}

type Pending = { resolve: (result: unknown) => void; reject: (error: Error) => void };

/** A worker thread and the jobs sent to it that have not answered yet. */
type Thread = { worker: Worker; pending: Map<number, Pending> };

const threads: (Thread | null)[] = [];
let nextId = 0;

function workerThread(slot: number): Thread {
  const running = threads[slot];
  if (running) return running;
  const thread: Thread = { worker: startWorker(), pending: new Map() };
  const { worker: started, pending } = thread;
  const fail = (error: Error) => {
    if (threads[slot] === thread) threads[slot] = null;
    for (const job of pending.values()) job.reject(error);
    pending.clear();
  };
  started.on("message", (response: JobResponse) => {
    const job = pending.get(response.id);
    if (!job) return;
    pending.delete(response.id);
    if (pending.size === 0) started.unref();
    if ("result" in response) job.resolve(response.result);
    else job.reject(Object.assign(new Error(response.error.message), { stack: response.error.stack }));
  });
  started.on("error", fail);
  started.on("exit", (code) => fail(new Error(`the protection worker thread stopped (exit code ${code})`)));
  threads[slot] = thread;
  return thread;
}

/** How many jobs were sent to the worker threads and have not answered yet. */
export function jobsUnderWay(): number {
  return threads.reduce((n, t) => n + (t?.pending.size ?? 0), 0);
}

/**
 * Runs a job of job.ts in a worker thread and resolves with its result: in thread `slot` (0 unless
 * the job is one part of several run side by side, split.ts). The typed arrays of the input are moved
 * to the worker (unusable here afterwards); those of the result are moved back.
 */
export function offThread<K extends keyof Jobs>(kind: K, input: Jobs[K][0], slot = 0): Promise<Jobs[K][1]> {
  const transfer = transferList(input);
  if (transfer.some(isDetached))
    return Promise.reject(
      new Error(
        `protection job ${kind}: its input holds typed arrays moved to a thread already (sent with an earlier job); send each job a copy`,
      ),
    );
  const thread = workerThread(slot);
  const id = nextId++;
  return new Promise<Jobs[K][1]>((resolve, reject) => {
    thread.pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
    // a job under way keeps the process alive until its answer
    thread.worker.ref();
    const request: JobRequest = { id, kind, input };
    thread.worker.postMessage(request, transfer);
  });
}
