import fs from "node:fs";
import path from "node:path";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { dataFolders } from "../../core/config.ts";
import { memoryLogger } from "../../core/log.ts";
import { TokenStore } from "../../core/tokens.ts";
import { buildApp } from "../../dashboard/app.ts";
import { recomputeAll, recomputeIfStale } from "../../indicators/compute.ts";
import { Publisher } from "../../indicators/publisher.ts";
import { loadDemo } from "../../pipelines/demo/load.ts";
import { InboxWatch } from "../../pipelines/files.ts";
import { processInbox } from "../../pipelines/inbox.ts";
import { preparedEnv, type TestEnv } from "../support/env.ts";
import { csvUpload } from "../support/multipart.ts";
import { KT_KESKI_UUSIMAA } from "./fixture.ts";

/**
 * The response cache keeps the data version in memory: these tests drive the real server over HTTP
 * (a free port, a real DuckDB file in a temp folder) and change the data by each path there is, then
 * ask again with the old ETag. A stale answer would be a 304 or the old figure.
 */

// Hyvinkää's 2024Q1 sent again with more ended periods in work
const HYVINKAA_REVISED = `${KT_KESKI_UUSIMAA.split("\n")[0]}
106;2024Q1;1100;20;50;15;5;5;5;5;5;5;2;2;1
`;
const PAGE = "/indikaattori/kt-tyohon?taso=hyvinvointialue&alue=02&jaksotyyppi=quarter";
const API = "/api/v1/values?indicator=kt-tyohon&level=hyvinvointialue&area=02&period=2024Q1";
// the county's 2024Q1 kt-tyohon (%) before and after Hyvinkää's revision
const BEFORE = 28.4;
const AFTER = 33.3;

let env: TestEnv;
let app: FastifyInstance;
let publisher: Publisher;
let base: string;
const tokens = TokenStore.inMemory();
const admin = tokens.add({ role: "admin", name: "Aino Ylläpitäjä" });

// loaded and computed once; each test gets its own copy of that data folder (each changes the data)
const prepared = preparedEnv(async (env) => {
  expect((await env.ingest("kt.csv", KT_KESKI_UUSIMAA)).status).toBe("loaded");
  await recomputeAll(env.db, env.config);
});

beforeEach(async () => {
  env = await prepared.copy();
  publisher = new Publisher(
    async (trigger) => void (await recomputeIfStale(env.db, env.config, { trigger })),
    (error) => {
      throw error;
    },
  );
  app = await buildApp({ db: env.db, config: env.config, tokens, publisher });
  await app.listen({ port: 0, host: "127.0.0.1" });
  const address = app.server.address();
  if (address === null || typeof address === "string") throw new Error("no TCP address");
  base = `http://127.0.0.1:${address.port}`;
});
afterEach(async () => {
  vi.restoreAllMocks();
  await app.close();
  await env.close();
});
afterAll(() => prepared.dispose());

interface Answer {
  status: number;
  etag: string | null;
  body: string;
}

async function get(url: string, etag?: string | null): Promise<Answer> {
  const response = await fetch(`${base}${url}`, { headers: etag ? { "if-none-match": etag } : {} });
  return { status: response.status, etag: response.headers.get("etag"), body: await response.text() };
}

/** Asks twice, so that the second answer comes from the cache. */
async function cached(url: string): Promise<Answer> {
  await get(url);
  const answer = await get(url);
  expect(answer.status).toBe(200);
  return answer;
}

/** The county's 2024Q1 share in the API answer. */
function share(answer: Answer): unknown {
  return (JSON.parse(answer.body) as { values: { value: unknown }[] }).values[0]?.value;
}

describe("cached answers and changes to the data", () => {
  it("a cached page or API answer runs no database query", async () => {
    await cached(PAGE);
    await cached(API);
    const reader = await env.db.reader();
    const queries = [vi.spyOn(reader, "all"), vi.spyOn(env.db, "all"), vi.spyOn(env.db, "run")];

    for (let i = 0; i < 5; i++) {
      expect((await get(PAGE)).status).toBe(200);
      expect((await get(API)).status).toBe(200);
    }

    expect(queries.map((q) => q.mock.calls.length)).toEqual([0, 0, 0]);
  });

  it("a file uploaded on the web is in the page and the API answer once its release is published", async () => {
    const page = await cached(PAGE);
    const api = await cached(API);
    expect(share(api)).toBe(BEFORE);

    const upload = csvUpload("hyvinkaa.csv", HYVINKAA_REVISED);
    const response = await fetch(`${base}/api/v1/uploads`, {
      method: "POST",
      headers: { ...upload.headers, authorization: `Bearer ${admin.token}` },
      body: new Uint8Array(upload.payload),
    });
    expect(response.status).toBe(200);
    await publisher.idle();

    const pageAfter = await get(PAGE, page.etag);
    const apiAfter = await get(API, api.etag);
    expect(pageAfter.status).toBe(200);
    expect(pageAfter.etag).not.toBe(page.etag);
    expect(apiAfter.status).toBe(200);
    expect(share(apiAfter)).toBe(AFTER);
  });

  it("a file loaded through the inbox is in the API answer once the run and its recompute are done", async () => {
    const api = await cached(API);
    const inbox = dataFolders(env.config).inbox;
    fs.mkdirSync(inbox, { recursive: true });
    fs.writeFileSync(path.join(inbox, "hyvinkaa.csv"), HYVINKAA_REVISED);

    // a watch that takes files at once: this one is written whole before the run
    const run = await processInbox({ db: env.db, config: env.config, log: memoryLogger() }, "test", {
      watch: new InboxWatch(0),
    });
    expect(run.reports.map((r) => r.status)).toEqual(["loaded"]);
    await recomputeIfStale(env.db, env.config);

    const after = await get(API, api.etag);
    expect(after.status).toBe(200);
    expect(share(after)).toBe(AFTER);
  });

  it("a file loaded from the command line is in the API answer once it and the recompute are done", async () => {
    const api = await cached(API);

    expect((await env.ingest("hyvinkaa.csv", HYVINKAA_REVISED)).status).toBe("loaded");
    await recomputeIfStale(env.db, env.config);

    const after = await get(API, api.etag);
    expect(share(after)).toBe(AFTER);
  });

  it("a recompute alone renders the cached pages again", async () => {
    await cached(PAGE);
    const { misses } = app.responseCache.stats;

    await recomputeAll(env.db, env.config);
    await get(PAGE);

    expect(app.responseCache.stats.misses).toBe(misses + 1);
  });

  it("an inbox run, even with nothing in the inbox, is on the status page at once", async () => {
    const status = await cached("/tila");

    await processInbox({ db: env.db, config: env.config, log: memoryLogger() }, "test");

    const after = await get("/tila", status.etag);
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(status.etag);
  });

  // the whole demo, recompute and protection included: past 60 s when the whole suite runs here
  it("the demo data loaded while the server runs is on the status page at once", async () => {
    const status = await cached("/tila");

    const demo = await loadDemo({ db: env.db, config: env.config });
    expect(demo.reports.some((r) => r.status === "loaded")).toBe(true);

    const after = await get("/tila", status.etag);
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(status.etag);
  }, 180_000);
});
