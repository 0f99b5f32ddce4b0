import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readAudit } from "../../../core/audit.ts";
import { TokenStore } from "../../../core/tokens.ts";
import { valuesResponseSchema } from "../../../dashboard/api/schemas.ts";
import { buildApp } from "../../../dashboard/app.ts";
import { readValues } from "../../../indicators/read.ts";
import { useKeskiUusimaaApp } from "../fixture.ts";

const { env, app } = useKeskiUusimaaApp();

async function get(url: string, headers: Record<string, string> = {}) {
  const response = await app().inject({ method: "GET", url, headers });
  return { response, body: response.json() as Record<string, unknown> };
}

async function values(query: string) {
  const { response, body } = await get(`/api/v1/values?${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return valuesResponseSchema.parse(body);
}

async function refused(query: string, status = 400) {
  const { response, body } = await get(`/api/v1/values?${query}`);
  expect(response.statusCode, `${query}: ${response.body}`).toBe(status);
  expect(response.headers["content-type"]).toMatch(/^application\/json/);
  return body as { error: string; message: string; message_en: string; details?: unknown[] };
}

describe("GET /api/v1/values", () => {
  it("answers JSON with its content type, rendered and from the cache alike", async () => {
    const url = "/api/v1/values?indicator=kt-tyohon&level=hyvinvointialue&area=02&period_type=year";
    const rendered = await app().inject(url);
    const cached = await app().inject(url);

    expect(rendered.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(cached.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(cached.body).toBe(rendered.body);
  });

  it("a hidden value is hidden with its small numerator, showing the denominator nobody needs hidden", async () => {
    const {
      values: [pornainen],
    } = await values("indicator=kt-tyohon&level=kunta&area=611&period=2024Q1");
    expect(pornainen).toMatchObject({
      area: "611",
      period: "2024Q1",
      status: "suppressed",
      suppressed: true,
      value: null,
      numerator: null,
      denominator: 12,
      // readers are not told whether a hidden value is small itself or hidden to protect another
      reason: "confidential",
      symbol: "..",
    });
    expect(pornainen?.reason_text?.fi).toContain("5");
    // secondary suppression: the others are hidden too, so Pornainen's cannot be worked out from the county's
    const {
      values: [jarvenpaa],
    } = await values("indicator=kt-tyohon&area=186&period=2024Q1");
    expect(jarvenpaa).toMatchObject({
      suppressed: true,
      value: null,
      numerator: null,
      denominator: 40,
      reason: "confidential",
    });
  });

  it("a shown value carries its numerator, denominator and status", async () => {
    const {
      values: [hyvinkaa],
    } = await values("indicator=kt-jatkaa&area=106&period=2024Q1");
    expect(hyvinkaa).toMatchObject({
      level: "kunta",
      value: 20,
      numerator: 10,
      denominator: 50,
      status: "value",
      suppressed: false,
      reason: null,
      area_name: { fi: "Hyvinkää", sv: "Hyvinge" },
    });
  });

  it("values equal readValues for the same query", async () => {
    const api = await values("indicator=kt-tyohon&level=kunta&period_type=year");
    const { values: expected } = await readValues(await env().db.reader(), {
      indicator: "kt-tyohon",
      level: "kunta",
      periodType: "year",
    });
    expect(api.values.length).toBe(expected.length);
    expect(api.values.length).toBeGreaterThan(0);
    api.values.forEach((v, i) => {
      const e = expected[i];
      expect([v.area, v.period, v.category]).toEqual([e?.area, e?.period, e?.category]);
      expect([v.value, v.numerator, v.denominator, v.status, v.reason, v.symbol]).toEqual([
        e?.value,
        e?.numerator,
        e?.denominator,
        e?.status,
        e?.reason,
        e?.symbol,
      ]);
      expect(v.completeness).toEqual({
        reported: e?.reported,
        members: e?.members,
        missing: e?.missingKunnat,
      });
    });
  });

  it("a value says how many municipalities reported and which did not", async () => {
    const {
      values: [county],
    } = await values("indicator=kt-tyohon&level=hyvinvointialue&area=02&period=2024Q1");
    expect(county?.completeness).toEqual({ reported: 3, members: 6, missing: ["505", "543", "858"] });
    const {
      values: [country],
    } = await values("indicator=kt-tyohon&area=sss&period=2024Q1");
    expect(country?.completeness.reported).toBe(3);
    expect(country?.completeness.members).toBeGreaterThan(300);
  });

  it("several indicators and areas come in one answer, in the order asked", async () => {
    const body = await values(
      "indicator=kt-jatkaa,kt-tyohon&level=kunta&area=611,106&period=2024Q1&category=total",
    );
    expect(body.values.map((v) => `${v.indicator}/${v.area}`)).toEqual([
      "kt-jatkaa/611",
      "kt-jatkaa/106",
      "kt-tyohon/611",
      "kt-tyohon/106",
    ]);
    expect(Object.keys(body.meta.definition_versions)).toEqual(["kt-jatkaa", "kt-tyohon"]);
  });

  it("many areas read at once give the same values as each asked alone, in the order asked", async () => {
    const codes = ["858", "611", "106", "505", "186", "543", "091"];
    const many = await values(`indicator=kt-tyohon&area=${codes.join(",")}&period=2024Q1&category=total`);
    expect(many.values.map((v) => v.area)).toEqual(codes);
    for (const v of many.values) {
      const {
        values: [alone],
      } = await values(`indicator=kt-tyohon&area=${v.area}&period=2024Q1&category=total`);
      expect(v).toEqual(alone);
    }
  });

  it("a period type and a range keep only the periods inside it", async () => {
    const body = await values("indicator=kt-tyohon&area=106&from=2023Q2&to=2024");
    expect(body.values.length).toBeGreaterThan(0);
    for (const v of body.values) {
      expect(v.first_quarter >= "2023Q2", v.period).toBe(true);
      expect(v.last_quarter <= "2024Q4", v.period).toBe(true);
    }
    expect(body.values.map((v) => v.period)).toContain("2024");
    expect(body.values.map((v) => v.period)).not.toContain("2023Q1");
    const years = await values("indicator=kt-tyohon&area=106&period_type=year");
    expect(new Set(years.values.map((v) => v.period_type))).toEqual(new Set(["year"]));
  });

  it("the metadata names the data as of, the definitions' version and the suppression threshold", async () => {
    const { meta } = await values("indicator=kt-tyohon&area=SSS&period=2024");
    expect(meta.data_as_of).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(meta.computed_at).toMatch(/^\d{4}-/);
    expect(meta.latest_load_id).toBe(1);
    expect(meta.definitions_version).toMatch(/^[0-9a-f]{16}$/);
    expect(meta.suppression).toEqual({ applied: true, threshold: 5 });
    expect(meta.attribution).toContain("Tilastokeskus");
    expect(meta.count).toBe(1);
    expect(meta.stale).toEqual([]);
  });

  it("an unknown indicator id is a 400 naming the valid ids", async () => {
    const body = await refused("indicator=kt-tyohon,ei-ole");
    expect(body.error).toBe("unknown_indicator");
    expect(body.message).toContain("Tuntematon indikaattori: ei-ole");
    expect(body.message_en).toContain("Unknown indicator: ei-ole");
    expect(body.message_en).toContain("kt-jatkaa");
  });

  it("malformed period is a 400, never a 500", async () => {
    for (const query of [
      "indicator=kt-tyohon&period=2024Q5",
      "indicator=kt-tyohon&period=24Q1",
      "indicator=kt-tyohon&period=2023Q1-2024Q1",
      "indicator=kt-tyohon&period=2024Q1,",
      "indicator=kt-tyohon&from=2024-01",
      "indicator=kt-tyohon&to=huomenna",
      "indicator=kt-tyohon&period_type=month",
      "indicator=kt-tyohon&period_type=year&period=2024Q1",
      "indicator=kt-tyohon&period=2024&from=2023",
    ]) {
      const body = await refused(query);
      expect(body.error, query).toBe("invalid_request");
      expect(body.message, query).not.toBe(body.message_en);
    }
  });

  it("a reversed range is a 400 saying so", async () => {
    const body = await refused("indicator=kt-tyohon&from=2024Q3&to=2024Q2");
    expect(body.message).toContain("väärin päin");
    expect(body.message_en).toContain("reversed");
  });

  it("a malformed or unknown area code is a 400", async () => {
    for (const [query, error] of [
      ["indicator=kt-tyohon&area=1234", "invalid_request"],
      ["indicator=kt-tyohon&area=<script>", "invalid_request"],
      ["indicator=kt-tyohon&area=999", "unknown_area"],
      ["indicator=kt-tyohon&area=sss&level=kunta", "invalid_request"],
      ["indicator=kt-tyohon&level=hyvinvointialue&area=99", "unknown_area"],
      ["indicator=kt-tyohon&level=hyvinvointialue&area=091", "invalid_request"],
      ["indicator=kt-tyohon&area=02", "invalid_request"],
    ] as const) {
      const body = await refused(query);
      expect(body.error, query).toBe(error);
    }
  });

  it("an unknown level is a 400 listing the levels", async () => {
    const body = await refused("indicator=kt-tyohon&level=maakunta");
    expect(body.message).toContain("Parametri level");
    expect(body.message).toContain("hyvinvointialue");
    expect(body.message_en).toContain("The parameter level");
  });

  it("a missing indicator, an unknown or repeated parameter is a 400 naming it", async () => {
    expect((await refused("level=kunta")).message_en).toContain("The parameter indicator is missing");
    expect((await refused("indicator=kt-tyohon&alue=091")).message_en).toContain("Unknown parameter alue");
    expect((await refused("indicator=kt-tyohon&area=091&area=106")).message_en).toContain("more than once");
  });

  it("a category filter gives the total or one breakdown category", async () => {
    const total = await values("indicator=kt-paattymissyyt&area=106&period=2024Q1&category=total");
    expect(total.values.map((v) => v.category)).toEqual([null]);
    const all = await values("indicator=kt-paattymissyyt&area=106&period=2024Q1");
    const category = all.values.find((v) => v.category !== null)?.category ?? "";
    const one = await values(`indicator=kt-paattymissyyt&area=106&period=2024Q1&category=${category}`);
    expect(one.values.map((v) => v.category)).toEqual([category]);
    expect((await refused("indicator=kt-tyohon&category=tyo")).details).toHaveLength(1);
  });

  it("anonymous answers carry an ETag and a matching If-None-Match gets a 304", async () => {
    const url = "/api/v1/values?indicator=kt-tyohon&area=106";
    const first = await app().inject({ url });
    expect(first.headers["cache-control"]).toBe("public, max-age=0, must-revalidate");
    const etag = String(first.headers.etag);
    expect(etag).toMatch(/^".+"$/);
    const again = await app().inject({ url, headers: { "if-none-match": etag } });
    expect(again.statusCode).toBe(304);
    const refusedOnce = await app().inject({ url: "/api/v1/values?indicator=nope" });
    expect(refusedOnce.headers.etag).toBeUndefined();
  });
});

describe("GET /api/v1/values?suppression=none", () => {
  const tokens = TokenStore.inMemory();
  const admin = tokens.add({ role: "admin", name: "Aino Ylläpitäjä" });
  const analyst = tokens.add({ role: "analyst", name: "Anna Analyytikko", kunnat: ["106"] });
  let authApp: FastifyInstance;
  beforeAll(async () => {
    authApp = await buildApp({ db: env().db, config: env().config, tokens });
  });
  afterAll(async () => {
    await authApp.close();
  });
  const url = "/api/v1/values?indicator=kt-tyohon&area=611&period=2024Q1&suppression=none";

  it("anonymous and analyst requests for unsuppressed values are a 403", async () => {
    expect((await authApp.inject({ url })).statusCode).toBe(403);
    const response = await authApp.inject({ url, headers: { authorization: `Bearer ${analyst.token}` } });
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: "forbidden" });
  });

  it("an admin gets the raw figures, still flagged, and never cached", async () => {
    const response = await authApp.inject({ url, headers: { authorization: `Bearer ${admin.token}` } });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers["cache-control"]).toBe("private, no-store");
    expect(response.headers.etag).toBeUndefined();
    const body = valuesResponseSchema.parse(response.json());
    expect(body.meta.suppression.applied).toBe(false);
    expect(body.values[0]).toMatchObject({
      status: "suppressed",
      suppressed: true,
      numerator: 2,
      denominator: 12,
      reason: "small_numerator",
    });
  });

  it("every read of unsuppressed values is in the audit log with the admin's token", async () => {
    await authApp.inject({ url, headers: { authorization: `Bearer ${admin.token}` } });
    const reads = await readAudit(env().db);
    const mine = reads.filter((a) => a.action === "unsuppressed_read" && a.actor === admin.entry.id);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine[0]?.actor_name).toBe("Aino Ylläpitäjä");
  });
});
