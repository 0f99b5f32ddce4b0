import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import {
  definitionVersion,
  IndicatorDefinitionError,
  type IndicatorInput,
  parseDefinition,
} from "../../indicators/definition.ts";
import { loadCatalogue } from "../../indicators/registry.ts";

// The starting catalogue of DESIGN.md ("Indicators"); ids are stable.
const DESIGN_IDS = [
  "kt-tyohon-opiskeluun",
  "kt-tyohon",
  "kt-jatkaa",
  "kt-ei-tietoa",
  "kt-asiakkaat-per-1000",
  "vp-palkkatyo-osuus",
  "vp-avotyo-per-10000",
  "vp-tyohonvalmennus",
  "tt-ohjautuneet-per-1000",
  "tt-terveydenhuollosta",
  "tt-tyohon-kuntoutukseen",
];

const text = { fi: "teksti", sv: "text", en: "text" };
const valid: IndicatorInput = {
  id: "kt-testi",
  title: text,
  description: text,
  interpretation: text,
  limitations: text,
  source: text,
  dataset: "kuntouttava",
  numerator: { sum: ["tyo"], over: "flow" },
  denominator: { sum: ["paattyneet"], over: "flow" },
  unit: "percent",
  decimals: 1,
  higherIsBetter: true,
  periods: ["quarter", "year"],
  levels: ["kunta", "koko_maa"],
};

const broken = (patch: Record<string, unknown>) => () =>
  parseDefinition({ ...valid, ...patch }, "catalogue/testi.ts");

describe("the catalogue", () => {
  test("holds every indicator of DESIGN.md", async () => {
    const ids = (await loadCatalogue()).entries.map((e) => e.definition.id);
    expect(ids).toEqual(expect.arrayContaining(DESIGN_IDS));
  });

  test("gives every indicator its texts in Finnish, Swedish and English", async () => {
    for (const { definition: d } of (await loadCatalogue()).entries)
      for (const field of [d.title, d.description, d.interpretation, d.limitations, d.source])
        expect(Object.keys(field).sort()).toEqual(["en", "fi", "sv"]);
  });

  test("has every indicator at the four levels and three periods of DESIGN.md", async () => {
    for (const { definition: d } of (await loadCatalogue()).entries) {
      expect(d.levels).toEqual(["kunta", "tyollisyysalue", "hyvinvointialue", "koko_maa"]);
      expect(d.periods).toEqual(["quarter", "year", "rolling4q"]);
    }
  });
});

describe("a definition", () => {
  test("that follows the schema is accepted as it is", () => {
    expect(parseDefinition(valid, "x.ts")).toMatchObject({ id: "kt-testi", unit: "percent" });
  });

  test("naming a column its dataset lacks fails naming the file and the field", () => {
    expect(broken({ numerator: { sum: ["tyo", "toihin"], over: "flow" } })).toThrowError(
      /catalogue\/testi\.ts[\s\S]*kt-testi\.numerator\.sum\.1: toihin is not a count column of kuntouttava/,
    );
  });

  test("filtering on a category value the dataset does not have fails naming the value", () => {
    const def = {
      dataset: "tiimi",
      numerator: { sum: ["lukumaara"], where: { suunta: ["sisaan"] }, over: "flow" },
      denominator: { sum: ["lukumaara"], over: "flow" },
    };
    expect(broken(def)).toThrowError(/numerator\.where\.suunta\.0: sisaan is not a value of tiimi\.suunta/);
  });

  test("with a unit that does not fit its denominator fails", () => {
    expect(broken({ unit: "per1000" })).toThrowError(/denominator: unit per1000 needs a population/);
    expect(broken({ unit: "count" })).toThrowError(/denominator: unit count needs no denominator/);
  });

  test("with a denominator from another dataset checks its columns in that dataset", () => {
    const def = { dataset: "polku", numerator: { sum: ["mitattu_lopussa"], over: "flow" } };
    expect(
      parseDefinition(
        { ...valid, ...def, denominator: { dataset: "kuntouttava", sum: ["paattyneet"], over: "flow" } },
        "x.ts",
      ),
    ).toMatchObject({ denominator: { dataset: "kuntouttava" } });
    expect(
      broken({ ...def, denominator: { dataset: "tiimi", sum: ["paattyneet"], over: "flow" } }),
    ).toThrowError(/denominator\.sum\.0: paattyneet is not a count column of tiimi/);
  });

  test("with a denominator from another dataset and a breakdown fails", () => {
    const breakdown = { by: "numerator_columns", title: text, labels: { mitattu_lopussa: text } };
    const def = {
      dataset: "polku",
      numerator: { sum: ["mitattu_lopussa"], over: "flow" },
      denominator: { dataset: "kuntouttava", sum: ["paattyneet"], over: "flow" },
      breakdown,
    };
    expect(broken(def)).toThrowError(
      /breakdown: a denominator from another dataset does not go with a breakdown/,
    );
  });

  test("missing a language fails naming the field", () => {
    expect(broken({ title: { fi: "otsikko", en: "title" } })).toThrowError(/kt-testi\.title\.sv/);
  });

  test("with a breakdown lacking a label for a cell fails naming the cell", () => {
    const breakdown = {
      by: "numerator_columns",
      title: text,
      labels: { tyo: text },
    };
    expect(broken({ numerator: { sum: ["tyo", "opiskelu"], over: "flow" }, breakdown })).toThrowError(
      /breakdown\.labels\.opiskelu: no label for opiskelu/,
    );
  });

  test("gets a new version when anything in it changes", () => {
    const a = parseDefinition(valid, "x.ts");
    const b = parseDefinition({ ...valid, numerator: { sum: ["tyo", "opiskelu"], over: "flow" } }, "x.ts");
    expect(definitionVersion(a)).toBe(definitionVersion(parseDefinition(valid, "x.ts")));
    expect(definitionVersion(a)).not.toBe(definitionVersion(b));
  });
});

describe("a catalogue folder", () => {
  let dir = "";
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const folder = (files: Record<string, unknown>) => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-catalogue-"));
    for (const [name, content] of Object.entries(files))
      fs.writeFileSync(path.join(dir, name), `export default ${JSON.stringify(content)};\n`);
    return dir;
  };

  test("with a broken file fails at load naming the file and the field", async () => {
    const d = folder({ "ok.js": valid, "rikki.js": { ...valid, id: "kt-rikki", decimals: -1 } });
    const error = await loadCatalogue(d).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IndicatorDefinitionError);
    expect(String((error as Error).message)).toMatch(/rikki\.js[\s\S]*kt-rikki\.decimals/);
  });

  test("with the same id in two files fails naming both", async () => {
    const d = folder({ "a.js": valid, "b.js": valid });
    await expect(loadCatalogue(d)).rejects.toThrowError(
      /b\.js[\s\S]*kt-testi\.id: the id is already defined in .*a\.js/,
    );
  });

  test("takes a new file as one more indicator", async () => {
    const d = folder({ "a.js": valid, "b.js": [{ ...valid, id: "kt-toinen" }] });
    expect((await loadCatalogue(d)).entries.map((e) => e.definition.id)).toEqual(["kt-testi", "kt-toinen"]);
  });
});
