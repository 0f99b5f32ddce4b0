import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Queryable } from "../../core/db.ts";
import { buildApp } from "../../dashboard/app.ts";
import { CACHE_CONTROL, DataVersions, matchesEtag, ResponseCache } from "../../dashboard/cache.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { preparedEnv, type TestEnv } from "../support/env.ts";

const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";
const KT = `${HEADER}
106;2023Q1;1000;20;40;6;4;2;3;5;15;2;1;1;1
106;2024Q1;1100;20;50;10;5;5;5;5;10;5;2;2;1
186;2024Q1;800;20;40;8;4;4;4;5;10;2;1;1;1
`;
// a re-sent 2024Q1 for Hyvinkää: 20 of 50 ended periods in work instead of 15
const KT_REVISED = `${HEADER}
106;2024Q1;1100;20;50;15;5;5;5;5;5;5;2;2;1
`;
const PAGE = "/indikaattori/kt-tyohon?taso=kunta&alue=106&jaksotyyppi=quarter";

describe("the response cache", () => {
  let env: TestEnv;
  let app: FastifyInstance;
  // loaded and computed once; each test gets its own copy of that data folder (it may change the data)
  const prepared = preparedEnv(async (env) => {
    expect((await env.ingest("kt.csv", KT)).errors).toEqual([]);
    await recomputeAll(env.db, env.config);
  });
  beforeEach(async () => {
    env = await prepared.copy();
  });
  afterEach(async () => {
    await app.close();
    await env.close();
  });
  afterAll(() => prepared.dispose());

  it("serves the second request of a page from the cache, with the same bytes and headers", async () => {
    app = await buildApp({ db: env.db, config: env.config });
    const { stats } = app.responseCache;

    const first = await app.inject(PAGE);
    const second = await app.inject(PAGE);

    expect(first.statusCode).toBe(200);
    expect(stats).toMatchObject({ misses: 1, stores: 1, hits: 1 });
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.headers["content-type"]).toBe(first.headers["content-type"]);
    expect(second.headers.etag).toBe(first.headers.etag);
  });

  it("keys on the whole URL: another language or query is another entry", async () => {
    app = await buildApp({ db: env.db, config: env.config });

    await app.inject(PAGE);
    const sv = await app.inject(`/sv${PAGE}`);
    const county = await app.inject(PAGE.replace("alue=106", "alue=186"));

    expect(app.responseCache.stats).toMatchObject({ misses: 3, hits: 0, stores: 3 });
    expect(sv.body).toContain('<html lang="sv">');
    expect(county.body).not.toBe(sv.body);
  });

  it("sets ETag and Cache-Control, and answers a matching If-None-Match with 304 and no body", async () => {
    app = await buildApp({ db: env.db, config: env.config });

    const page = await app.inject(PAGE);
    const etag = String(page.headers.etag);
    const again = await app.inject({ url: PAGE, headers: { "if-none-match": etag } });
    const other = await app.inject({ url: PAGE, headers: { "if-none-match": '"something-else"' } });

    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(page.headers["cache-control"]).toBe(CACHE_CONTROL);
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
    expect(again.headers.etag).toBe(etag);
    expect(other.statusCode).toBe(200);
    expect(other.body).toBe(page.body);
  });

  it("answers 304 on a fresh render too (the cache emptied, the page unchanged)", async () => {
    app = await buildApp({ db: env.db, config: env.config });
    const page = await app.inject(PAGE);
    app.responseCache.clear();

    const again = await app.inject({ url: PAGE, headers: { "if-none-match": String(page.headers.etag) } });

    expect(app.responseCache.stats).toMatchObject({ misses: 2, stores: 2 });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe("");
  });

  it("after a new load and a recompute the page is rendered again, with the new figure and another ETag", async () => {
    app = await buildApp({ db: env.db, config: env.config });
    // the county's and the country's share, (15 + 12) / 90, is shown (whatever the protection hides of
    // Hyvinkää's own) and becomes (20 + 12) / 90 with the re-sent quarter
    const before = await app.inject(PAGE);
    expect(before.body).toContain("30,0");

    expect((await env.ingest("kt-korjattu.csv", KT_REVISED)).status).toBe("loaded");
    await recomputeAll(env.db, env.config);
    const after = await app.inject({ url: PAGE, headers: { "if-none-match": String(before.headers.etag) } });

    expect(after.statusCode).toBe(200);
    expect(after.body).toContain("35,6");
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(app.responseCache.stats).toMatchObject({ misses: 2, hits: 0 });
  });

  it("a recompute alone (same loads) is a new version", async () => {
    app = await buildApp({ db: env.db, config: env.config });
    await app.inject(PAGE);

    await recomputeAll(env.db, env.config);
    await app.inject(PAGE);

    expect(app.responseCache.stats).toMatchObject({ misses: 2, hits: 0 });
  });

  it("never caches error pages (404, 400)", async () => {
    app = await buildApp({ db: env.db, config: env.config });

    const missing = [await app.inject("/indikaattori/ei-ole"), await app.inject("/indikaattori/ei-ole")];
    const bad = [await app.inject("/tila?aineisto=ei-ole"), await app.inject("/tila?aineisto=ei-ole")];

    expect(missing.map((r) => r.statusCode)).toEqual([404, 404]);
    expect(bad.map((r) => r.statusCode)).toEqual([400, 400]);
    for (const r of [...missing, ...bad]) expect(r.headers.etag).toBeUndefined();
    expect(app.responseCache.stats).toMatchObject({ hits: 0, stores: 0 });
    expect(app.responseCache.size).toBe(0);
  });

  it("caches the CSV download with its type and file name", async () => {
    app = await buildApp({ db: env.db, config: env.config });
    const url = "/indikaattori/kt-tyohon.csv?taso=kunta&alue=106&jaksotyyppi=quarter";

    const first = await app.inject(url);
    const second = await app.inject(url);

    expect(first.statusCode).toBe(200);
    expect(app.responseCache.stats).toMatchObject({ misses: 1, hits: 1 });
    expect(second.body).toBe(first.body);
    expect(second.headers["content-type"]).toBe(first.headers["content-type"]);
    expect(second.headers["content-disposition"]).toBe(first.headers["content-disposition"]);
  });

  it("the status page is rendered again when an inbox run is recorded or finishes; other pages stay cached", async () => {
    app = await buildApp({ db: env.db, config: env.config });
    await app.inject("/tila");
    await app.inject(PAGE);
    await app.inject("/tila");
    expect(app.responseCache.stats).toMatchObject({ misses: 2, hits: 1 });

    await env.db.withTransaction((tx) =>
      tx.run(`INSERT INTO runs (trigger, started_at, status) VALUES ('schedule', now(), 'running')`),
    );
    await app.inject("/tila");
    await app.inject(PAGE);
    expect(app.responseCache.stats).toMatchObject({ misses: 3, hits: 2 });

    await env.db.withTransaction((tx) => tx.run(`UPDATE runs SET finished_at = now(), status = 'ok'`));
    await app.inject("/tila");
    expect(app.responseCache.stats).toMatchObject({ misses: 4, hits: 2 });
  });

  it("requests with credentials bypass the cache", async () => {
    app = await buildApp({ db: env.db, config: env.config });

    await app.inject({ url: "/tila", headers: { authorization: "Bearer x" } });
    await app.inject({ url: "/tila", headers: { cookie: "a=b" } });

    expect(app.responseCache.stats).toMatchObject({ misses: 0, hits: 0, stores: 0 });
  });

  it("answers a hit before the app's other onRequest hooks, which an anonymous GET does not need", async () => {
    app = await buildApp({ db: env.db, config: env.config });
    const seen: string[] = [];
    app.addHook("onRequest", async (request) => void seen.push(request.url));
    app.get("/kokeilu", async (_request, reply) => reply.type("text/plain").send("sama vastaus"));

    const first = await app.inject("/kokeilu");
    const second = await app.inject("/kokeilu");

    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(app.responseCache.stats).toMatchObject({ misses: 1, hits: 1 });
    expect(seen).toEqual(["/kokeilu"]);
  });

  it("runs a route's own onRequest hooks before answering it from the cache", async () => {
    app = await buildApp({ db: env.db, config: env.config });
    let checked = 0;
    app.get("/kokeilu", { onRequest: async () => void checked++ }, async (_request, reply) =>
      reply.type("text/plain").send("sama vastaus"),
    );

    await app.inject("/kokeilu");
    const second = await app.inject("/kokeilu");

    expect(second.body).toBe("sama vastaus");
    expect(app.responseCache.stats).toMatchObject({ misses: 1, hits: 1 });
    expect(checked).toBe(2);
  });

  it("stays within its byte bound, evicting the least recently used page", async () => {
    const probe = await buildApp({ db: env.db, config: env.config });
    const size = (await probe.inject(PAGE)).rawPayload.length;
    await probe.close();
    // room for one page and a half
    app = await buildApp({ db: env.db, config: env.config, cacheBytes: Math.round(size * 1.5) });
    const cache = app.responseCache;

    await app.inject(PAGE);
    await app.inject(PAGE.replace("alue=106", "alue=186"));

    expect(cache.size).toBe(1);
    expect(cache.stats.evictions).toBe(1);
    expect(cache.bytes).toBeLessThanOrEqual(cache.maxBytes);
    await app.inject(PAGE);
    expect(cache.stats).toMatchObject({ hits: 0, misses: 3 });
  });
});

describe("ResponseCache", () => {
  const response = (n: number) => ({ body: Buffer.alloc(n), etag: '"x"', headers: {} });

  it("evicts least recently used first and never holds more than its bound", () => {
    const cache = new ResponseCache(100);
    cache.set("a", response(30));
    cache.set("b", response(30));
    cache.set("c", response(30));
    cache.get("a");
    cache.set("d", response(30));

    expect(cache.get("b")).toBeUndefined();
    expect(cache.get("a")).toBeDefined();
    expect(cache.get("c")).toBeDefined();
    expect(cache.bytes).toBeLessThanOrEqual(100);
  });

  it("does not store a response larger than the whole bound", () => {
    const cache = new ResponseCache(100);
    cache.set("a", response(30));

    expect(cache.set("big", response(200))).toBe(false);
    expect(cache.get("a")).toBeDefined();
  });

  it("matches If-None-Match lists, weak validators and *", () => {
    expect(matchesEtag('"a", W/"b"', '"b"')).toBe(true);
    expect(matchesEtag("*", '"b"')).toBe(true);
    expect(matchesEtag('"a"', '"b"')).toBe(false);
    expect(matchesEtag(undefined, '"b"')).toBe(false);
  });
});

describe("DataVersions", () => {
  it("a refresh that started later wins over one that finishes later", async () => {
    const answers: Array<(row: Record<string, string>) => void> = [];
    const db = {
      one: () => new Promise((resolve) => answers.push(resolve)),
    } as unknown as Queryable;
    const versions = new DataVersions();

    const older = versions.refresh(db);
    const newer = versions.refresh(db);
    answers[1]?.({ l: "2", i: "1", r: "1/1" });
    await newer;
    answers[0]?.({ l: "1", i: "1", r: "1/1" });
    await older;

    expect(versions.current.data).toBe("2.1");
  });

  it("an unreadable version is a new one, so nothing cached before it is served", async () => {
    const versions = new DataVersions();
    const ok = { one: async () => ({ l: "1", i: "1", r: "1/1" }) } as unknown as Queryable;
    const broken = {
      one: async () => {
        throw new Error("database gone");
      },
    } as unknown as Queryable;

    await versions.refresh(ok);
    const before = versions.current;
    await versions.refresh(broken);

    expect(versions.current.data).not.toBe(before.data);
    expect(versions.current.runs).not.toBe(before.runs);
  });
});
