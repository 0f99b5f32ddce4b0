import { MessageChannel } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { jobsUnderWay, offThread } from "../../indicators/protect/off-thread.ts";

describe("protection jobs in worker threads", () => {
  it("refuses a job whose typed arrays were moved to another thread already, instead of never answering", async () => {
    const areas = new Int32Array([1, 2, 3]);
    const { port1, port2 } = new MessageChannel();
    port1.postMessage(areas, [areas.buffer]); // as a first part's job moves them
    port1.close();
    port2.close();
    expect(areas.length).toBe(0);
    const input = { tables: { areas } } as never;
    await expect(offThread("protect", input)).rejects.toThrow(/moved to a thread already/);
    expect(jobsUnderWay()).toBe(0);
  });
});
