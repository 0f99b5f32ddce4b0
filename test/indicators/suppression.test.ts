import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recomputeAll } from "../../indicators/compute.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { KT, loadAndCompute, one, TIIMI, useComputed, VP } from "./support.ts";

// Suppression as readers get it, on the fixtures of support.ts (county 04: Vantaa 092, Kerava 245).

describe("primary suppression", () => {
  const t = useComputed({ "kt.csv": KT, "vp.csv": VP, "tiimi.csv": TIIMI });

  test("a rate with a numerator of 1–4 is hidden with its counts, saying why", async () => {
    const v = await one(t.env, { indicator: "kt-ei-tietoa", level: "kunta", area: "092", period: "2024" });
    expect(v).toMatchObject({
      status: "suppressed",
      reason: "small_numerator",
      symbol: "..",
      value: null,
      numerator: null,
      denominator: null,
    });
  });

  test("a count of 1–4 is hidden", async () => {
    const v = await one(t.env, {
      indicator: "vp-tyohonvalmennus",
      level: "kunta",
      area: "245",
      period: "2024Q1",
    });
    expect(v).toMatchObject({ status: "suppressed", reason: "small_count", value: null });
  });

  test("a zero is shown as zero, not hidden", async () => {
    const v = await one(t.env, {
      indicator: "vp-tyohonvalmennus",
      level: "kunta",
      area: "245",
      period: "2024Q1",
      category: "muut_vammaiset",
    });
    expect(v).toMatchObject({ status: "zero", value: 0, numerator: 0, reason: null, symbol: null });
  });

  test("a municipality that did not report is missing, not zero", async () => {
    const v = await one(t.env, { indicator: "kt-tyohon", level: "kunta", area: "245", period: "2024" });
    expect(v).toMatchObject({ status: "missing", reason: "not_reported", symbol: ".", value: null });
  });

  test("an unsuppressed read shows the numbers of a hidden value, still marked hidden", async () => {
    const v = await one(t.env, {
      indicator: "kt-ei-tietoa",
      level: "kunta",
      area: "092",
      period: "2024",
      unsuppressed: true,
    });
    expect(v).toMatchObject({
      status: "suppressed",
      numerator: 4,
      denominator: 140,
      value: 2.9,
      symbol: null,
    });
  });
});

describe("secondary suppression", () => {
  const t = useComputed({ "kt.csv": KT, "vp.csv": VP, "tiimi.csv": TIIMI });

  test("where one municipality of a shown county is hidden, the smallest other one is hidden too", async () => {
    // 2023Q4: Kerava 3/10 is hidden, the county's 15/50 is shown, so Vantaa's 12/40 must go
    const county = await one(t.env, {
      indicator: "kt-tyohon-opiskeluun",
      level: "hyvinvointialue",
      area: "04",
      period: "2023Q4",
    });
    expect(county).toMatchObject({ status: "value", value: 30 });
    const vantaa = await one(t.env, {
      indicator: "kt-tyohon-opiskeluun",
      level: "kunta",
      area: "092",
      period: "2023Q4",
    });
    expect(vantaa).toMatchObject({ status: "suppressed", reason: "secondary_area", value: null });
  });

  test("an area whose only reporting member is hidden is hidden too", async () => {
    // Employment area 43 is Vantaa alone: its figure is Vantaa's hidden one
    const area = await one(t.env, {
      indicator: "kt-tyohon-opiskeluun",
      level: "tyollisyysalue",
      area: "43",
      period: "2023Q4",
    });
    expect(area).toMatchObject({ status: "suppressed", reason: "secondary_area" });
  });

  test("a hidden cell of a breakdown makes another cell of the breakdown hidden", async () => {
    // Vantaa 2024 vp-palkkatyo-osuus: total shown; kehitysvammaiset goes for the county (Kerava's
    // 3/10 is hidden), so another cell of Vantaa's breakdown must go as well
    const total = await one(t.env, {
      indicator: "vp-palkkatyo-osuus",
      level: "kunta",
      area: "092",
      period: "2024",
    });
    expect(total.status).toBe("value");
    const cells = await Promise.all(
      ["kehitysvammaiset", "muut_vammaiset", "mielenterveys_paihde"].map((category) =>
        one(t.env, {
          indicator: "vp-palkkatyo-osuus",
          level: "kunta",
          area: "092",
          period: "2024",
          category,
        }),
      ),
    );
    // (kehitysvammaiset goes for the county, or as the twin of its 2024Q4, whichever is met first)
    expect(cells[0]?.status).toBe("suppressed");
    expect(cells[0]?.reason).toMatch(/^secondary_/);
    expect(cells.filter((c) => c.status === "suppressed").length).toBeGreaterThanOrEqual(2);
  });
});

describe("secondary suppression by period", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv();
    // Lieto alone: 2020Q3 has 3 of 30 ended periods going to work or studies, the year 18 of 125
    await loadAndCompute(env, {
      "lieto.csv": `kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa
423;2020Q1;;;31;3;0;2;1;2;19;3;1;0;0
423;2020Q2;;;32;3;0;2;1;2;19;3;1;1;0
423;2020Q3;;;30;2;0;1;1;2;19;3;1;0;1
423;2020Q4;;;32;3;0;2;1;2;19;3;2;0;0
`,
    });
  });
  afterAll(() => env.close());

  test("where one quarter of a shown year is hidden, the quarter with the smallest denominator is hidden too", async () => {
    const q = (period: string) =>
      one(env, { indicator: "kt-tyohon-opiskeluun", level: "kunta", area: "423", period });
    expect(await q("2020")).toMatchObject({ status: "value", value: 14.4 });
    expect(await q("2020Q3")).toMatchObject({ status: "suppressed", reason: "small_numerator" });
    expect(await q("2020Q1")).toMatchObject({ status: "suppressed", reason: "secondary_period" });
    expect(await q("2020Q2")).toMatchObject({ status: "value" });
    expect(await q("2020Q4")).toMatchObject({ status: "value" });
  });
});

describe("the threshold", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv({ SEURANTA_SUPPRESSION_THRESHOLD: "3" });
    await loadAndCompute(env, { "kt.csv": KT });
  });
  afterAll(() => env.close());

  test("is configurable: with threshold 3 a numerator of 3 is shown and 2 is hidden", async () => {
    const three = await one(env, {
      indicator: "kt-tyohon-opiskeluun",
      level: "kunta",
      area: "245",
      period: "2024Q1",
    });
    expect(three).toMatchObject({ status: "value", value: 25 });
    const two = await one(env, {
      indicator: "kt-tyohon-opiskeluun",
      level: "kunta",
      area: "245",
      period: "2024Q3",
    });
    expect(two).toMatchObject({ status: "suppressed", reason: "small_numerator" });
  });
});

describe("small and empty denominators", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv();
    await loadAndCompute(env, {
      "kt.csv": `kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa
091;2024Q1;50;10;0;0;0;0;0;0;0;0;0;0;0
091;2024Q2;50;10;3;0;0;0;0;0;3;0;0;0;0
`,
    });
  });
  afterAll(() => env.close());

  test("a share of no ended periods is not computable, shown as –", async () => {
    const v = await one(env, { indicator: "kt-tyohon", level: "kunta", area: "091", period: "2024Q1" });
    expect(v).toMatchObject({
      status: "not_computable",
      reason: "zero_denominator",
      symbol: "–",
      value: null,
    });
  });

  test("a share of 0 out of 1–4 ended periods is hidden for its denominator", async () => {
    const v = await one(env, { indicator: "kt-tyohon", level: "kunta", area: "091", period: "2024Q2" });
    expect(v).toMatchObject({ status: "suppressed", reason: "small_denominator", value: null });
  });

  test("a recompute with nothing changed gives the same statuses", async () => {
    await recomputeAll(env.db, env.config);
    const v = await one(env, { indicator: "kt-tyohon", level: "kunta", area: "091", period: "2024Q1" });
    expect(v.status).toBe("not_computable");
  });
});
