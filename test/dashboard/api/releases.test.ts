import { describe, expect, it } from "vitest";
import {
  changesResponseSchema,
  releasesResponseSchema,
  valuesResponseSchema,
} from "../../../dashboard/api/schemas.ts";
import { recomputeAll } from "../../../indicators/compute.ts";
import { KT_KESKI_UUSIMAA, useKeskiUusimaaApp } from "../fixture.ts";

const HEADER = KT_KESKI_UUSIMAA.split("\n")[0];
const INDICATORS = ["kt-tyohon", "kt-jatkaa", "kt-paattymissyyt"];

describe("releases over the API", () => {
  const { env: fixtureEnv, app: fixtureApp } = useKeskiUusimaaApp();
  const get = (url: string, headers: Record<string, string> = {}) =>
    fixtureApp().inject({ method: "GET", url, headers });
  const valuesUrl = (indicator: string, release?: number) =>
    `/api/v1/values?indicator=${indicator}${release === undefined ? "" : `&release=${release}`}`;
  const before: Record<string, string> = {};
  const EXPORT = "/api/v1/exports?format=csv&level=hyvinvointialue,kunta&from=2024Q1&to=2024Q1";
  let exportOne: { body: string; name: string } | null = null;

  it("lists release 1, and an answer pinned to it is the latest's figures, cacheable for a year", async () => {
    const list = releasesResponseSchema.parse((await get("/api/v1/releases")).json());
    expect(list.releases.map((r) => [r.id, r.latest, r.loads])).toEqual([[1, true, [1]]]);
    for (const indicator of INDICATORS) {
      const pinned = await get(valuesUrl(indicator, 1));
      expect(pinned.statusCode, pinned.body).toBe(200);
      expect(pinned.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(pinned.headers.etag).toBeTruthy();
      const latest = valuesResponseSchema.parse((await get(valuesUrl(indicator))).json());
      const body = valuesResponseSchema.parse(pinned.json());
      expect(body.values).toEqual(latest.values);
      expect(body.meta.release).toBe(1);
      expect(latest.meta.release).toBe(1);
      before[indicator] = pinned.body;
    }
    const file = await get(`${EXPORT}&release=1`);
    expect(file.statusCode, file.body).toBe(200);
    expect(file.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    exportOne = { body: file.body, name: String(file.headers["content-disposition"]) };
    expect(exportOne.name).toMatch(/_julkaisu-1\.csv"$/);
    expect(file.body.split("\n")[1]).toMatch(/,1$/); // the release column
    expect(file.body).toBe((await get(EXPORT)).body);
    const catalogue = await get("/api/v1/indicators?release=1");
    expect(catalogue.statusCode, catalogue.body).toBe(200);
    expect(catalogue.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const latestCatalogue = (await get("/api/v1/indicators")).json() as { indicators: unknown[] };
    expect((catalogue.json() as { indicators: unknown[] }).indicators).toEqual(latestCatalogue.indicators);
    expect((catalogue.json() as { meta: { release: number } }).meta.release).toBe(1);
    // from the cache: the same long-lived answer, and 304 to its ETag
    const again = await get(valuesUrl("kt-tyohon", 1));
    expect(again.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const notModified = await get(valuesUrl("kt-tyohon", 1), { "if-none-match": String(again.headers.etag) });
    expect(notModified.statusCode).toBe(304);
  });

  it("refuses an unknown release (404) and a pinned unsuppressed read (400)", async () => {
    const unknown = await get(valuesUrl("kt-tyohon", 9));
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: "unknown_release" });
    expect((await get("/api/v1/releases/9/changes")).statusCode).toBe(404);
    expect((await get("/api/v1/values?indicator=kt-tyohon&release=abc")).statusCode).toBe(400);
  });

  it("after a correction: release 2 is the latest, release 1 answers byte for byte as before, and the changes list exactly the moved figures", async () => {
    // Hyvinkää corrects 2024Q1: two more went to work, two fewer go on
    const correction = `${HEADER}\n106;2024Q1;1100;20;50;12;5;5;5;5;8;5;2;2;1\n`;
    expect((await fixtureEnv().ingest("korjaus.csv", correction)).errors).toEqual([]);
    const summary = await recomputeAll(fixtureEnv().db, fixtureEnv().config);
    expect(summary.release?.id).toBe(2);

    for (const indicator of INDICATORS)
      expect((await get(valuesUrl(indicator, 1))).body).toBe(before[indicator]);
    const list = releasesResponseSchema.parse((await get("/api/v1/releases")).json());
    expect(list.releases.map((r) => [r.id, r.latest])).toEqual([
      [2, true],
      [1, false],
    ]);

    // the figures whose published numbers differ between the two pinned reads
    const expected = new Set<string>();
    for (const indicator of INDICATORS) {
      const one = valuesResponseSchema.parse((await get(valuesUrl(indicator, 1))).json()).values;
      const two = valuesResponseSchema.parse((await get(valuesUrl(indicator, 2))).json()).values;
      const key = (v: (typeof one)[number]) =>
        `${v.indicator}|${v.level}|${v.area}|${v.period}|${v.category ?? ""}`;
      const old = new Map(one.map((v) => [key(v), v]));
      for (const v of two) {
        const o = old.get(key(v));
        const shown = (x: typeof v) => x.status === "value" || x.status === "zero";
        if (
          o &&
          shown(o) &&
          shown(v) &&
          (o.value !== v.value || o.numerator !== v.numerator || o.denominator !== v.denominator)
        )
          expected.add(key(v));
      }
    }
    expect(expected.size).toBeGreaterThan(0);
    const response = await get("/api/v1/releases/2/changes");
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    const changes = changesResponseSchema.parse(response.json());
    const moved = changes.moved.filter((c) => INDICATORS.includes(c.indicator));
    expect(
      new Set(moved.map((c) => `${c.indicator}|${c.level}|${c.area}|${c.period}|${c.category ?? ""}`)),
    ).toEqual(expected);
    for (const c of changes.moved) {
      expect(c.before?.status).toMatch(/^(value|zero)$/);
      expect(c.after?.status).toMatch(/^(value|zero)$/);
    }
    expect(changes.data).toEqual([
      { dataset: "kuntouttava", kunta: "106", quarter: "2024Q1", kind: "revised" },
    ]);
    // never why a figure is hidden
    expect(response.body).not.toMatch(/small_|secondary|reason/);
  }, 180_000);
});
