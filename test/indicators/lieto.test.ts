import { describe, expect, test } from "vitest";
import { one, useComputed } from "./support.ts";

// Lieto's 2020 follow-up of kuntouttava työtoiminta (seed 002): of 125 ended periods, Töihin 8,8 %,
// Opiskelu 5,6 %, Työtön 6,4 %, TE-toimiston työllistäminen 3,2 %, Jatkoi 60,8 %, Siirtyi soten
// palveluihin 9,6 %, Ei tietoa 0,8 %, Muuttanut 0,8 %, Siirtyi muu toimeentulo 4,0 %. In counts:
// 11, 7, 8, 4, 76, 12, 1, 1, 5 (and 0 to pay-subsidised work), spread over the quarters below.

const LIETO = `kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa
423;2020Q1;;;31;3;0;2;1;2;19;3;1;0;0
423;2020Q2;;;32;3;0;2;1;2;19;3;1;1;0
423;2020Q3;;;30;2;0;1;1;2;19;3;1;0;1
423;2020Q4;;;32;3;0;2;1;2;19;3;2;0;0
`;

const t = useComputed({ "lieto.csv": LIETO });
const year = { level: "kunta", area: "423", period: "2020" } as const;

describe("Lieto 2020, as published", () => {
  test.each([
    ["tyo", 8.8],
    ["opiskelu", 5.6],
    ["tyoton", 6.4],
    ["jatkaa", 60.8],
    ["sote_palvelut", 9.6],
    ["muu_toimeentulo", 4],
  ])("the share ending in %s is reproduced to one decimal (%s %)", async (category, published) => {
    const v = await one(t.env, { indicator: "kt-paattymissyyt", ...year, category });
    expect(v).toMatchObject({ status: "value", value: published, denominator: 125 });
  });

  test("the total of ended periods is 125", async () => {
    const v = await one(t.env, { indicator: "kt-paattymissyyt", ...year });
    expect(v).toMatchObject({ numerator: 125, denominator: 125, value: 100 });
  });

  test.each([
    ["ei_tietoa", 0.8],
    ["muutto", 0.8],
    ["te_palvelut", 3.2],
  ])("the %s cell of 1–4 persons is hidden from readers (published %s %)", async (category, published) => {
    const v = await one(t.env, { indicator: "kt-paattymissyyt", ...year, category });
    expect(v).toMatchObject({
      status: "suppressed",
      reason: "confidential",
      value: null,
      numerator: null,
    });
    const admin = await one(t.env, { indicator: "kt-paattymissyyt", ...year, category, unsuppressed: true });
    expect(admin.value).toBe(published);
  });

  test("no one to pay-subsidised work is a shown zero", async () => {
    const v = await one(t.env, { indicator: "kt-paattymissyyt", ...year, category: "palkkatuettu_tyo" });
    expect(v).toMatchObject({ status: "zero", value: 0 });
  });

  test("kt-tyohon is Töihin: 8,8 %", async () => {
    expect((await one(t.env, { indicator: "kt-tyohon", ...year })).value).toBe(8.8);
  });

  test("kt-tyohon-opiskeluun is Töihin and Opiskelu together: 14,4 %", async () => {
    expect((await one(t.env, { indicator: "kt-tyohon-opiskeluun", ...year })).value).toBe(14.4);
  });

  test("kt-jatkaa is Jatkoi: 60,8 %", async () => {
    expect((await one(t.env, { indicator: "kt-jatkaa", ...year })).value).toBe(60.8);
  });

  test("kt-ei-tietoa, one person, is hidden", async () => {
    const v = await one(t.env, { indicator: "kt-ei-tietoa", ...year });
    expect(v).toMatchObject({ status: "suppressed", reason: "confidential", value: null });
  });
});
