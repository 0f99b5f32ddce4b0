import { describe, expect, test } from "vitest";
import { atomModel } from "../../indicators/protect/atoms.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { one, useComputed } from "./support.ts";

// Client path follow-up in county 04: Vantaa (092) and Kerava (245) send all three services for
// 2024Q1; Kerava sends only kuntouttava työtoiminta for 2024Q2. Both send their kuntouttava työtoiminta
// periods (dataset kuntouttava) for 2024Q1 only. Every expected figure below is worked out from these rows.

const HEADER =
  "kunta;vuosineljannes;palvelu;mitattu_alussa;mitattu_valissa;mitattu_lopussa;mitattu_molemmat;" +
  "henkinen_hyvinvointi_parani;henkinen_hyvinvointi_ennallaan;henkinen_hyvinvointi_heikkeni;" +
  "sosiaalinen_osallisuus_parani;sosiaalinen_osallisuus_ennallaan;sosiaalinen_osallisuus_heikkeni;" +
  "fyysinen_toimintakyky_parani;fyysinen_toimintakyky_ennallaan;fyysinen_toimintakyky_heikkeni;" +
  "osaaminen_parani;osaaminen_ennallaan;osaaminen_heikkeni;arjen_sujuvuus_parani;arjen_sujuvuus_ennallaan;" +
  "arjen_sujuvuus_heikkeni;tyollistyi;palaute_annettu;palaute_myonteinen";

/** A row where every domain changes the same way: improved, unchanged, declined. */
const row = (kunta: string, q: string, palvelu: string, lopussa: number, molemmat: number, d: number[]) =>
  [
    kunta,
    q,
    palvelu,
    lopussa + 5,
    lopussa,
    lopussa,
    molemmat,
    ...[1, 2, 3, 4, 5].flatMap(() => d),
    10,
    40,
    30,
  ]
    .map(String)
    .join(";");

const POLKU = [
  HEADER,
  row("092", "2024Q1", "kuntouttava_tyotoiminta", 60, 50, [20, 20, 10]),
  row("092", "2024Q1", "tyohonvalmennus", 40, 40, [30, 5, 5]),
  row("092", "2024Q1", "tyotoiminta", 40, 30, [10, 15, 5]),
  row("245", "2024Q1", "kuntouttava_tyotoiminta", 50, 40, [10, 20, 10]),
  row("245", "2024Q1", "tyohonvalmennus", 40, 30, [15, 10, 5]),
  row("245", "2024Q1", "tyotoiminta", 40, 30, [15, 10, 5]),
  row("245", "2024Q2", "kuntouttava_tyotoiminta", 50, 40, [20, 10, 10]),
].join("\n");

const KUNTOUTTAVA = [
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa",
  "092;2024Q1;300;40;80;10;10;10;10;10;10;10;5;3;2",
  "245;2024Q1;250;30;100;20;10;10;10;10;10;10;10;5;5",
].join("\n");

const t = useComputed({ "polku.csv": `${POLKU}\n`, "kuntouttava.csv": `${KUNTOUTTAVA}\n` });

describe("share improved per Kykyviisari domain", () => {
  test("is the improved of those measured at both points, all three services summed", async () => {
    const v = await one(t.env, {
      indicator: "polku-parani-osaaminen",
      level: "kunta",
      area: "092",
      period: "2024Q1",
    });
    expect(v).toMatchObject({ numerator: 60, denominator: 120 });
    expect(v.value).toBeCloseTo(50, 6);
  });

  test("is shown per service", async () => {
    const v = await one(t.env, {
      indicator: "polku-parani-henkinen-hyvinvointi",
      level: "kunta",
      area: "092",
      period: "2024Q1",
      category: "tyohonvalmennus",
    });
    expect(v.value).toBeCloseTo(75, 6);
  });

  test("of a county adds up its municipalities' counts", async () => {
    const v = await one(t.env, {
      indicator: "polku-parani-arjen-sujuvuus",
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      unsuppressed: true,
    });
    expect(v).toMatchObject({ numerator: 100, denominator: 220 });
  });

  test("has no total for a quarter in which a service was not reported", async () => {
    const v = await one(t.env, {
      indicator: "polku-parani-osaaminen",
      level: "kunta",
      area: "245",
      period: "2024Q2",
    });
    expect(v.status).toBe("missing");
  });
});

describe("employed at the end and feedback", () => {
  test("employed at the end is of those measured at the end", async () => {
    const v = await one(t.env, {
      indicator: "polku-tyossa-lopussa",
      level: "kunta",
      area: "092",
      period: "2024Q1",
    });
    expect(v).toMatchObject({ numerator: 30, denominator: 140 });
  });

  test("positive feedback is of the feedback given", async () => {
    const v = await one(t.env, {
      indicator: "polku-palaute-myonteinen",
      level: "kunta",
      area: "092",
      period: "2024Q1",
    });
    expect(v).toMatchObject({ numerator: 90, denominator: 120 });
    expect(v.value).toBeCloseTo(75, 6);
  });
});

describe("coverage of the end measurement in kuntouttava työtoiminta", () => {
  test("is the end measurements of kuntouttava työtoiminta of the periods that ended in kuntouttava", async () => {
    const v = await one(t.env, {
      indicator: "polku-kattavuus",
      level: "kunta",
      area: "092",
      period: "2024Q1",
      unsuppressed: true,
    });
    expect(v).toMatchObject({ numerator: 60, denominator: 80 });
    expect(v.value).toBeCloseTo(75, 6);
  });

  test("of a county adds up both datasets' counts of its municipalities", async () => {
    const v = await one(t.env, {
      indicator: "polku-kattavuus",
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      unsuppressed: true,
    });
    expect(v).toMatchObject({ numerator: 110, denominator: 180 });
  });

  test("is missing for a quarter sent to polku but not to kuntouttava", async () => {
    const v = await one(t.env, {
      indicator: "polku-kattavuus",
      level: "kunta",
      area: "245",
      period: "2024Q2",
    });
    expect(v.status).toBe("missing");
  });

  test("counts its denominator in the same inner cells as the outcome shares of kuntouttava", async () => {
    const defs = (await loadCatalogue()).entries.map((e) => e.definition);
    const model = atomModel(defs);
    const coverage = defs.findIndex((d) => d.id === "polku-kattavuus");
    const outcomes = defs.findIndex((d) => d.id === "kt-tyohon");
    const employed = defs.findIndex((d) => d.id === "polku-tyossa-lopussa");
    // one table system: the protection and the audit see the ended periods as one and the same number
    expect(model.componentOf[coverage]).toBe(model.componentOf[outcomes]);
    expect(model.componentOf[coverage]).toBe(model.componentOf[employed]);
    expect(model.masks[coverage]?.[0]?.[1]).toBe(model.masks[outcomes]?.[0]?.[1]);
    // the numerator is the kuntouttava työtoiminta cell of the employed indicator's denominator
    const kuntouttavaCell = 1;
    expect(model.masks[coverage]?.[0]?.[0]).toBe(model.masks[employed]?.[kuntouttavaCell]?.[1]);
  });
});
