import { describe, expect, it } from "vitest";
import {
  areasResponseSchema,
  indicatorResponseSchema,
  indicatorsResponseSchema,
} from "../../../dashboard/api/schemas.ts";
import { readValues } from "../../../indicators/read.ts";
import { loadCatalogue } from "../../../indicators/registry.ts";
import { useKeskiUusimaaApp } from "../fixture.ts";

const { env, app } = useKeskiUusimaaApp();

const get = (url: string) => app().inject({ method: "GET", url });

describe("GET /api/v1/indicators", () => {
  it("the catalogue lists every indicator with its metadata in fi, sv and en", async () => {
    const response = await get("/api/v1/indicators");
    expect(response.statusCode).toBe(200);
    const body = indicatorsResponseSchema.parse(response.json());
    const catalogue = await loadCatalogue();
    expect(body.indicators.map((i) => i.id)).toEqual(catalogue.entries.map((e) => e.definition.id));
    for (const indicator of body.indicators) {
      const entry = catalogue.byId(indicator.id);
      expect(indicator.version).toBe(entry?.version);
      expect(indicator.title).toEqual(entry?.definition.title);
      for (const text of [
        indicator.title,
        indicator.description,
        indicator.interpretation,
        indicator.limitations,
      ])
        expect(Object.keys(text)).toEqual(["fi", "sv", "en"]);
    }
    const tyohon = body.indicators.find((i) => i.id === "kt-tyohon");
    expect(tyohon).toMatchObject({
      dataset: "kuntouttava",
      unit: "percent",
      decimals: 1,
      higher_is_better: true,
      numerator: { sum: ["tyo", "palkkatuettu_tyo"], over: "flow" },
      denominator: { kind: "measure", sum: ["paattyneet"] },
      levels: ["kunta", "tyollisyysalue", "hyvinvointialue", "koko_maa"],
      breakdown: null,
    });
    const breakdown = body.indicators.find((i) => i.breakdown !== null)?.breakdown;
    expect(breakdown?.categories.length).toBeGreaterThan(1);
    expect(breakdown?.categories[0]?.label.sv).toBeTruthy();
  });

  it("the periods listed are those that have values", async () => {
    const body = indicatorsResponseSchema.parse((await get("/api/v1/indicators")).json());
    const tyohon = body.indicators.find((i) => i.id === "kt-tyohon");
    expect(tyohon?.periods.quarter).toEqual(["2023Q1", "2024Q1"]);
    // a year or a rolling period needs all its quarters: one quarter a year is not enough
    expect(tyohon?.periods.year).toEqual([]);
    const { values } = await readValues(await env().db.reader(), { indicator: "kt-tyohon" });
    const withValues = (type: string) => [
      ...new Set(values.filter((v) => v.periodType === type && v.status !== "missing").map((v) => v.period)),
    ];
    expect(tyohon?.periods.rolling4q).toEqual(withValues("rolling4q"));
    // nothing of the team or disability datasets was loaded
    const team = body.indicators.find((i) => i.id === "tt-ohjautuneet-per-1000");
    expect(team?.periods).toEqual({ quarter: [], year: [], rolling4q: [] });
    expect(body.meta.definitions_version).toMatch(/^[0-9a-f]{16}$/);
    expect(body.meta.data_as_of).not.toBeNull();
  });

  it("one indicator is given by its id", async () => {
    const response = await get("/api/v1/indicators/kt-jatkaa");
    expect(response.statusCode).toBe(200);
    const body = indicatorResponseSchema.parse(response.json());
    expect(body.indicator.id).toBe("kt-jatkaa");
    expect(body.indicator.higher_is_better).toBe(false);
  });

  it("an unknown indicator id is a 404 naming the valid ids", async () => {
    const response = await get("/api/v1/indicators/ei-ole");
    expect(response.statusCode).toBe(404);
    expect(response.json()).toMatchObject({
      error: "unknown_indicator",
      message: expect.stringContaining("Tuntematon indikaattori: ei-ole"),
      message_en: expect.stringContaining("kt-tyohon"),
    });
    const malformed = await get("/api/v1/indicators/Ei%20ole");
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().message).toContain("Parametri id");
  });
});

describe("GET /api/v1/areas", () => {
  it("areas are municipalities with their county and employment area, the areas and the whole country", async () => {
    const response = await get("/api/v1/areas");
    expect(response.statusCode).toBe(200);
    const { areas, meta } = areasResponseSchema.parse(response.json());
    expect(meta.count).toBe(areas.length);
    const count = (level: string) => areas.filter((a) => a.level === level).length;
    expect(count("kunta")).toBe(308);
    expect(count("hyvinvointialue")).toBe(23);
    expect(count("tyollisyysalue")).toBeGreaterThan(40);
    expect(areas.filter((a) => a.level === "koko_maa")).toEqual([
      expect.objectContaining({
        code: "SSS",
        name: expect.objectContaining({ fi: "Koko maa" }),
        county: null,
      }),
    ]);
    expect(areas.find((a) => a.level === "kunta" && a.code === "091")).toMatchObject({
      name: { fi: "Helsinki", sv: "Helsingfors" },
      county: "90",
      municipalities: ["091"],
    });
    expect(areas.find((a) => a.code === "106" && a.level === "kunta")?.employment_area).toMatch(/^\d{2}$/);
  });

  it("areas filter by level and county", async () => {
    const { areas } = areasResponseSchema.parse((await get("/api/v1/areas?level=kunta&county=02")).json());
    expect(areas.map((a) => a.code)).toEqual(["106", "186", "505", "543", "611", "858"]);
    const bad = await get("/api/v1/areas?level=maakunta");
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message_en).toContain("The parameter level");
  });
});
