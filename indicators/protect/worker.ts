import { parentPort } from "node:worker_threads";
import { JOBS } from "./job.ts";
import { type JobRequest, type JobResponse, transferList } from "./off-thread.ts";

/**
 * The worker thread of the protection step (started by off-thread.ts): runs the jobs it is sent, one
 * message each, and sends back the results, their typed arrays moved rather than copied.
 */

const port = parentPort;
if (!port) throw new Error("indicators/protect/worker.ts runs as a worker thread (see off-thread.ts)");
port.on("message", async (request: JobRequest) => {
  let response: JobResponse;
  try {
    const result = await (JOBS[request.kind] as (input: unknown) => Promise<unknown>)(request.input);
    response = { id: request.id, result };
  } catch (error) {
    const { message, stack } = error instanceof Error ? error : new Error(String(error));
    response = { id: request.id, error: { message, stack } };
  }
  port.postMessage(response, "result" in response ? transferList(response.result) : []);
});
