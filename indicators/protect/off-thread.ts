import { Worker } from "node:worker_threads";
import type { Jobs } from "./job.ts";

/**
 * Runs the protection step's jobs (job.ts) in a worker thread, so that the server's main thread keeps
 * answering while a release is protected and audited (tens of seconds of CPU on the demo data). One
 * worker per process, started at the first job and kept for the next ones (HiGHS and the modules stay
 * loaded); it does not keep the process alive while no job is under way. Jobs are run in the order sent.
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

let worker: Worker | null = null;
const pending = new Map<number, Pending>();
let nextId = 0;

function workerThread(): Worker {
  if (worker) return worker;
  const started = startWorker();
  const fail = (error: Error) => {
    if (worker === started) worker = null;
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
  worker = started;
  return started;
}

/** How many jobs were sent to the worker thread and have not answered yet. */
export function jobsUnderWay(): number {
  return pending.size;
}

/**
 * Runs a job of job.ts in the worker thread and resolves with its result. The typed arrays of the
 * input are moved to the worker (unusable here afterwards); those of the result are moved back.
 */
export function offThread<K extends keyof Jobs>(kind: K, input: Jobs[K][0]): Promise<Jobs[K][1]> {
  const thread = workerThread();
  const id = nextId++;
  return new Promise<Jobs[K][1]>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (result: unknown) => void, reject });
    // a job under way keeps the process alive until its answer
    thread.ref();
    const request: JobRequest = { id, kind, input };
    thread.postMessage(request, transferList(input));
  });
}
