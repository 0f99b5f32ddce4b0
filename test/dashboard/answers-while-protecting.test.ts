import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TokenStore } from "../../core/tokens.ts";
import { buildApp } from "../../dashboard/app.ts";
import { type ComputeSummary, recomputeAll, recomputeIfStale } from "../../indicators/compute.ts";
import { jobsUnderWay } from "../../indicators/protect/off-thread.ts";
import { Publisher } from "../../indicators/publisher.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { KUNNAT, smallCounts } from "../support/small-counts.ts";

// The protection and audit of a new release run in worker threads: while they do, the server's main
// thread answers. The run here is the real one after a load (incremental recompute, protection together
// with the release being served, audit, release) over small counts that need much protection; the
// requests are sent once the protection job is under way and must be answered before it ends. (Were
// protection on the main thread, no answer could come before the job's end.)

const PAGE = "/indikaattori/kt-tyohon";

async function untilProtecting(publisher: Publisher): Promise<void> {
  while (publisher.busy && jobsUnderWay() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

describe("the server while a new release is protected in the background", () => {
  let env: TestEnv;
  let app: FastifyInstance;
  let base: string;
  const runs: ComputeSummary[] = [];
  let publisher: Publisher;

  beforeAll(async () => {
    env = await makeTestEnv();
    expect((await env.ingest("kt.csv", smallCounts(7, KUNNAT))).status).toBe("loaded");
    await recomputeAll(env.db, env.config);
    publisher = new Publisher(
      async (trigger) => {
        const summary = await recomputeIfStale(env.db, env.config, { trigger });
        if (summary) runs.push(summary);
      },
      (error) => {
        throw error;
      },
    );
    app = await buildApp({ db: env.db, config: env.config, tokens: TokenStore.inMemory(), publisher });
    await app.listen({ port: 0, host: "127.0.0.1" });
    const address = app.server.address();
    if (address === null || typeof address === "string") throw new Error("no TCP address");
    base = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await app?.close();
    await env?.close();
  });

  it("answers /readyz and a cached page before the protection under way ends", async () => {
    // cached now: the run below changes no data version until its release is committed
    expect((await fetch(`${base}${PAGE}`)).status).toBe(200);
    // three municipalities correct their counts: a load, then the publisher's run as after an upload
    expect((await env.ingest("kt.csv", smallCounts(8, KUNNAT.slice(0, 3)))).status).toBe("loaded");
    publisher.request("upload");
    await untilProtecting(publisher);
    expect(jobsUnderWay()).toBeGreaterThan(0);

    const answered: { url: string; status: number; protecting: boolean }[] = [];
    for (const url of ["/readyz", PAGE, "/readyz"]) {
      const response = await fetch(`${base}${url}`);
      await response.arrayBuffer();
      answered.push({ url, status: response.status, protecting: jobsUnderWay() > 0 && publisher.busy });
    }
    await publisher.idle();

    expect(answered).toEqual([
      { url: "/readyz", status: 200, protecting: true },
      { url: PAGE, status: 200, protecting: true },
      { url: "/readyz", status: 200, protecting: true },
    ]);
    // the run went through: a new release, protected together with the one served
    expect(runs).toHaveLength(1);
    expect(runs[0]?.release).toBeDefined();
    expect(runs[0]?.suppressed.together).not.toBeNull();
  });

  it("commits a load that arrives meanwhile before the run ends, and publishes it in the next run", async () => {
    expect((await env.ingest("kt.csv", smallCounts(9, KUNNAT.slice(3, 5)))).status).toBe("loaded");
    publisher.request("upload");
    await untilProtecting(publisher);
    const during = await env.ingest("kt.csv", smallCounts(10, KUNNAT.slice(5, 6)));
    const protecting = jobsUnderWay() > 0 && publisher.busy;
    publisher.request("upload");
    await publisher.idle();

    expect(during.status).toBe("loaded");
    expect(protecting).toBe(true);
    const releases = await env.db.all<{ latest_load_id: bigint; loads: string }>(
      `SELECT latest_load_id, loads::VARCHAR AS loads FROM releases ORDER BY release_id DESC LIMIT 2`,
    );
    const [latest, before] = releases.map((r) => ({
      latest: Number(r.latest_load_id),
      loads: JSON.parse(r.loads) as number[],
    }));
    // the run under way published the load before it; the load that came during it, the next run
    expect(before?.loads).not.toContain(during.load_id);
    expect(before?.latest).toBeLessThan(Number(during.load_id));
    expect(latest?.loads).toEqual([during.load_id]);
    expect(runs.slice(1).map((r) => r.scope !== null)).toEqual([true, true]);
  });
});
