import { describe, expect, it } from "vitest";
import { Publisher } from "../../indicators/publisher.ts";

/** A run that waits until released, recording the trigger it was started with. */
function gatedRuns() {
  const started: string[] = [];
  const releases: (() => void)[] = [];
  const run = (trigger: string) =>
    new Promise<void>((resolve) => {
      started.push(trigger);
      releases.push(resolve);
    });
  const finishNext = async () => {
    while (releases.length === 0) await new Promise((r) => setTimeout(r, 1));
    releases.shift()?.();
  };
  return { started, run, finishNext };
}

describe("the publisher of new figures", () => {
  it("starts a run at once when asked and answers the request without waiting for it", () => {
    const runs = gatedRuns();
    const publisher = new Publisher(runs.run, () => undefined);
    publisher.request("upload");
    expect(runs.started).toEqual(["upload"]);
  });

  it("takes the loads that arrive during a run together in one next run, never two at once", async () => {
    const runs = gatedRuns();
    const publisher = new Publisher(runs.run, () => undefined);
    publisher.request("upload");
    publisher.request("upload");
    publisher.request("inbox");
    publisher.request("upload");
    expect(runs.started).toEqual(["upload"]);
    await runs.finishNext();
    await runs.finishNext();
    await publisher.idle();
    expect(runs.started).toEqual(["upload", "upload"]);
  });

  it("goes on after a failed run: the failure is reported and the next request runs", async () => {
    const failures: string[] = [];
    let calls = 0;
    const publisher = new Publisher(
      async () => {
        calls++;
        if (calls === 1) throw new Error("audit rejected");
      },
      (error, trigger) => void failures.push(`${trigger}: ${(error as Error).message}`),
    );
    publisher.request("upload");
    await publisher.idle();
    publisher.request("inbox");
    await publisher.idle();
    expect(failures).toEqual(["upload: audit rejected"]);
    expect(calls).toBe(2);
  });
});
