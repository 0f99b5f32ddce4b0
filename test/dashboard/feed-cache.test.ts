import { describe, expect, it } from "vitest";
import type { Queryable, Row } from "../../core/db.ts";
import type { QueryValues } from "../../core/sql.ts";
import { DataVersions } from "../../dashboard/cache.ts";
import { ReleaseFeedCache } from "../../dashboard/feed-cache.ts";
import { recomputeAll } from "../../indicators/compute.ts";
import { KT_KESKI_UUSIMAA, useKeskiUusimaaApp } from "./fixture.ts";

const HEADER = KT_KESKI_UUSIMAA.split("\n")[0];

/** The real reader connection, counting the queries it is asked to run. */
function countingReader(reader: Queryable): Queryable & { queries: number } {
  const counted = {
    queries: 0,
    all<T extends Row = Row>(sql: string, params?: QueryValues): Promise<T[]> {
      counted.queries++;
      return reader.all<T>(sql, params);
    },
    async one<T extends Row = Row>(sql: string, params?: QueryValues): Promise<T | undefined> {
      return (await counted.all<T>(sql, params))[0];
    },
  };
  return counted;
}

describe("the Atom feed is kept in memory and answers conditional GETs", () => {
  const { env: fixtureEnv, app: fixtureApp } = useKeskiUusimaaApp();
  const get = (headers: Record<string, string> = {}) =>
    fixtureApp().inject({
      method: "GET",
      url: "/julkaisut.atom",
      headers: { host: "seuranta.example", ...headers },
    });

  it("answers 304 to If-None-Match with its ETag and to If-Modified-Since of the latest release", async () => {
    const first = await get();
    expect(first.statusCode).toBe(200);
    const etag = String(first.headers.etag);
    const lastModified = String(first.headers["last-modified"]);
    expect(etag).toMatch(/^"[^"]+"$/);
    expect(new Date(lastModified).toUTCString()).toBe(lastModified);

    const byEtag = await get({ "if-none-match": etag });
    expect([byEtag.statusCode, byEtag.body]).toEqual([304, ""]);
    expect(byEtag.headers.etag).toBe(etag);
    const byDate = await get({ "if-modified-since": lastModified });
    expect(byDate.statusCode).toBe(304);
    // an older date, another ETag, another host: the whole feed
    const older = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get({ "if-modified-since": older })).statusCode).toBe(200);
    expect((await get({ "if-none-match": '"something-else"' })).statusCode).toBe(200);
    const otherHost = await get({ host: "toinen.example", "if-none-match": etag });
    expect(otherHost.statusCode).toBe(200);
    expect(otherHost.body).toContain("http://toinen.example/julkaisut/1");
  });

  it("a new release gives a new ETag: the old one gets the whole feed with the new entry", async () => {
    const before = await get();
    expect(
      (await fixtureEnv().ingest("korjaus.csv", `${HEADER}\n106;2024Q1;1100;20;50;12;5;5;5;5;8;5;2;2;1\n`))
        .errors,
    ).toEqual([]);
    expect((await recomputeAll(fixtureEnv().db, fixtureEnv().config)).release?.id).toBe(2);
    const after = await get({ "if-none-match": String(before.headers.etag) });
    expect(after.statusCode).toBe(200);
    expect(after.headers.etag).not.toBe(before.headers.etag);
    expect(after.body).toContain("http://seuranta.example/julkaisut/2");
    expect((await get({ "if-none-match": String(after.headers.etag) })).statusCode).toBe(304);
  });

  it("between writes it runs no query; after a write it asks once whether a new release appeared", async () => {
    const reader = countingReader(await fixtureEnv().db.reader());
    const { versions, stop } = await DataVersions.track(fixtureEnv().db);
    try {
      const feeds = new ReleaseFeedCache(reader, () => versions.current.data);
      const first = await feeds.get("http://seuranta.example");
      const rendered = reader.queries;
      expect(rendered).toBeGreaterThan(0);
      for (let i = 0; i < 5; i++) expect(await feeds.get("http://seuranta.example")).toBe(first);
      expect(reader.queries).toBe(rendered);

      // a load moves the data version but makes no release: one query, the same feed
      expect(
        (await fixtureEnv().ingest("uusi.csv", `${HEADER}\n106;2025Q1;1100;20;50;12;5;5;5;5;8;5;2;2;1\n`))
          .errors,
      ).toEqual([]);
      expect(await feeds.get("http://seuranta.example")).toBe(first);
      expect(reader.queries).toBe(rendered + 1);

      // its recompute makes release 3: the feed is rendered again
      expect((await recomputeAll(fixtureEnv().db, fixtureEnv().config)).release?.id).toBe(3);
      const third = await feeds.get("http://seuranta.example");
      expect(third.body).toContain("http://seuranta.example/julkaisut/3");
      expect(third.etag).not.toBe(first.etag);
    } finally {
      stop();
    }
  });
});
