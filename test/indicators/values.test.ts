import { describe, expect, test } from "vitest";
import type { LevelName } from "../../indicators/levels.ts";
import { KT, one, TIIMI, useComputed, VP } from "./support.ts";

// Every indicator at every level and period, worked out by hand from the fixtures in support.ts
// (numbers as an admin's unsuppressed export gives them: numerator, denominator, value rounded to the
// definition's decimals; whether each is shown is tested in suppression.test.ts).
// Populations: Vantaa 251 269 and Kerava 38 461 (2024), Vantaa 242 819 (2022; 2023 is missing).

const t = useComputed({ "kt.csv": KT, "vp.csv": VP, "tiimi.csv": TIIMI });

interface Case {
  level: LevelName;
  area: string;
  period: string;
  category?: string;
  numerator: number;
  denominator: number | null;
  value: number;
  reported: number;
  members: number;
  missing?: string[];
}

function check(indicator: string, cases: Case[]) {
  test.each(cases)(`${indicator} at $level $area for $period $category`, async (c) => {
    const v = await one(t.env, { indicator, ...c, unsuppressed: true });
    expect({
      numerator: v.numerator,
      denominator: v.denominator,
      value: v.value,
      reported: v.reported,
      members: v.members,
    }).toEqual({
      numerator: c.numerator,
      denominator: c.denominator,
      value: c.value,
      reported: c.reported,
      members: c.members,
    });
    if (c.missing) expect(v.missingKunnat).toEqual(c.missing);
  });
}

describe("kt-tyohon-opiskeluun: (tyo + palkkatuettu_tyo + opiskelu) / paattyneet", () => {
  check("kt-tyohon-opiskeluun", [
    {
      level: "kunta",
      area: "092",
      period: "2024Q1",
      numerator: 20,
      denominator: 50,
      value: 40,
      reported: 1,
      members: 1,
    },
    // a year adds up its four quarters: 20 + 6 + 5 + 13 of 50 + 30 + 20 + 40
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 44,
      denominator: 140,
      value: 31.4,
      reported: 1,
      members: 1,
    },
    // four quarters across a year boundary: 2023Q4 + 2024Q1…Q3 = 12 + 20 + 6 + 5 of 40 + 50 + 30 + 20
    {
      level: "kunta",
      area: "092",
      period: "2023Q4-2024Q3",
      numerator: 43,
      denominator: 140,
      value: 30.7,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "43",
      period: "2024",
      numerator: 44,
      denominator: 140,
      value: 31.4,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "11",
      period: "2024Q1",
      numerator: 3,
      denominator: 12,
      value: 25,
      reported: 1,
      members: 2,
      missing: ["753"],
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2023Q4",
      numerator: 15,
      denominator: 50,
      value: 30,
      reported: 2,
      members: 2,
      missing: [],
    },
    // Kerava sent nothing for 2024Q2, so it has no 2024 of its own (not reported for the whole period),
    // but the county adds up the quarters it did send: Vantaa 44/140 + Kerava Q1 3/12, Q3 2/8, Q4 3/10
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024",
      numerator: 52,
      denominator: 170,
      value: 30.6,
      reported: 1,
      members: 2,
      missing: ["245"],
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024Q1",
      numerator: 23,
      denominator: 62,
      value: 37.1,
      reported: 2,
      members: 308,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024Q1-2024Q4",
      numerator: 52,
      denominator: 170,
      value: 30.6,
      reported: 1,
      members: 308,
    },
  ]);
});

describe("kt-tyohon: (tyo + palkkatuettu_tyo) / paattyneet", () => {
  check("kt-tyohon", [
    {
      level: "kunta",
      area: "092",
      period: "2023Q4",
      numerator: 10,
      denominator: 40,
      value: 25,
      reported: 1,
      members: 1,
    },
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 33,
      denominator: 140,
      value: 23.6,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "11",
      period: "2024Q4",
      numerator: 2,
      denominator: 10,
      value: 20,
      reported: 1,
      members: 2,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      numerator: 17,
      denominator: 62,
      value: 27.4,
      reported: 2,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2023Q4-2024Q3",
      // Vantaa 33/140 and Kerava's reported quarters 2023Q4 2/10, 2024Q1 2/12, 2024Q3 2/8
      numerator: 39,
      denominator: 170,
      value: 22.9,
      reported: 1,
      members: 308,
    },
  ]);
});

describe("kt-jatkaa: jatkaa / paattyneet", () => {
  check("kt-jatkaa", [
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 38,
      denominator: 140,
      value: 27.1,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "43",
      period: "2023Q4-2024Q3",
      numerator: 41,
      denominator: 140,
      value: 29.3,
      reported: 1,
      members: 1,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2023Q4",
      numerator: 19,
      denominator: 50,
      value: 38,
      reported: 2,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024Q3",
      numerator: 9,
      denominator: 28,
      value: 32.1,
      reported: 2,
      members: 308,
    },
  ]);
});

describe("kt-ei-tietoa: ei_tietoa / paattyneet", () => {
  check("kt-ei-tietoa", [
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 4,
      denominator: 140,
      value: 2.9,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "43",
      period: "2024Q2",
      numerator: 1,
      denominator: 30,
      value: 3.3,
      reported: 1,
      members: 1,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      numerator: 1,
      denominator: 62,
      value: 1.6,
      reported: 2,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2023Q4",
      numerator: 1,
      denominator: 50,
      value: 2,
      reported: 2,
      members: 308,
    },
  ]);
});

describe("kt-paattymissyyt: each outcome / paattyneet", () => {
  const year = (category: string, numerator: number, value: number): Case => ({
    level: "kunta",
    area: "092",
    period: "2024",
    category,
    numerator,
    denominator: 140,
    value,
    reported: 1,
    members: 1,
  });
  check("kt-paattymissyyt", [
    year("", 140, 100),
    year("tyo", 23, 16.4),
    year("palkkatuettu_tyo", 10, 7.1),
    year("opiskelu", 11, 7.9),
    year("te_palvelut", 16, 11.4),
    year("tyoton", 18, 12.9),
    year("jatkaa", 38, 27.1),
    year("sote_palvelut", 13, 9.3),
    year("muu_toimeentulo", 5, 3.6),
    year("muutto", 2, 1.4),
    year("ei_tietoa", 4, 2.9),
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2023Q4",
      category: "tyo",
      numerator: 7,
      denominator: 50,
      value: 14,
      reported: 2,
      members: 2,
    },
    {
      level: "tyollisyysalue",
      area: "11",
      period: "2024Q4",
      category: "jatkaa",
      numerator: 4,
      denominator: 10,
      value: 40,
      reported: 1,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024Q1-2024Q4",
      category: "tyoton",
      // Vantaa 18/140 and Kerava's 2024Q1 2/12, Q3 1/8, Q4 1/10
      numerator: 22,
      denominator: 170,
      value: 12.9,
      reported: 1,
      members: 308,
    },
  ]);
});

describe("kt-asiakkaat-per-1000: mean of the reported quarters' clients / population × 1000", () => {
  check("kt-asiakkaat-per-1000", [
    // (1100 + 1200 + 900 + 800) / 4 = 1000 of 251 269
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 1000,
      denominator: 251269,
      value: 4,
      reported: 1,
      members: 1,
    },
    // Kerava reported three quarters of 2024: (320 + 280 + 300) / 3 = 300 of 38 461
    {
      level: "kunta",
      area: "245",
      period: "2024",
      numerator: 300,
      denominator: 38461,
      value: 7.8,
      reported: 1,
      members: 1,
    },
    // (1000 + 1100 + 1200 + 900) / 4 = 1050, population of the last quarter's year (2024)
    {
      level: "kunta",
      area: "092",
      period: "2023Q4-2024Q3",
      numerator: 1050,
      denominator: 251269,
      value: 4.2,
      reported: 1,
      members: 1,
    },
    // Sipoo reports nothing: the rate is over Kerava's clients and Kerava's population only
    {
      level: "tyollisyysalue",
      area: "11",
      period: "2024",
      numerator: 300,
      denominator: 38461,
      value: 7.8,
      reported: 1,
      members: 2,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024",
      numerator: 1300,
      denominator: 289730,
      value: 4.5,
      reported: 2,
      members: 2,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q2",
      numerator: 1200,
      denominator: 251269,
      value: 4.8,
      reported: 1,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024",
      numerator: 1300,
      denominator: 289730,
      value: 4.5,
      reported: 2,
      members: 308,
    },
  ]);
});

describe("vp-palkkatyo-osuus: palkkatyo / (palkkatyo + avotyotoiminta), three target groups, stocks", () => {
  check("vp-palkkatyo-osuus", [
    {
      level: "kunta",
      area: "092",
      period: "2024Q1",
      numerator: 20,
      denominator: 50,
      value: 40,
      reported: 1,
      members: 1,
    },
    // a stock over a year is its last quarter: 12 + 5 + 7 of 24 + 18 + 5 + 5
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 24,
      denominator: 52,
      value: 46.2,
      reported: 1,
      members: 1,
    },
    {
      level: "kunta",
      area: "092",
      period: "2024Q1-2024Q4",
      numerator: 24,
      denominator: 52,
      value: 46.2,
      reported: 1,
      members: 1,
    },
    // 5 / 16 = 31.25: half away from zero
    {
      level: "kunta",
      area: "245",
      period: "2024Q1",
      numerator: 5,
      denominator: 16,
      value: 31.3,
      reported: 1,
      members: 1,
    },
    {
      level: "kunta",
      area: "092",
      period: "2024",
      category: "mielenterveys_paihde",
      numerator: 7,
      denominator: 12,
      value: 58.3,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "11",
      period: "2024Q1",
      numerator: 5,
      denominator: 16,
      value: 31.3,
      reported: 1,
      members: 2,
    },
    // Kerava sent one target group of three for 2024Q4: no total for Kerava, its group counts
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024",
      numerator: 24,
      denominator: 52,
      value: 46.2,
      reported: 1,
      members: 2,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      numerator: 25,
      denominator: 66,
      value: 37.9,
      reported: 2,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024",
      category: "kehitysvammaiset",
      numerator: 15,
      denominator: 40,
      value: 37.5,
      reported: 2,
      members: 308,
    },
  ]);
});

describe("vp-avotyo-per-10000: avotyotoiminta / population × 10 000, stocks", () => {
  check("vp-avotyo-per-10000", [
    {
      level: "kunta",
      area: "092",
      period: "2024Q1",
      numerator: 30,
      denominator: 251269,
      value: 1.2,
      reported: 1,
      members: 1,
    },
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 28,
      denominator: 251269,
      value: 1.1,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "43",
      period: "2024Q1-2024Q4",
      numerator: 28,
      denominator: 251269,
      value: 1.1,
      reported: 1,
      members: 1,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      numerator: 41,
      denominator: 289730,
      value: 1.4,
      reported: 2,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024",
      category: "kehitysvammaiset",
      numerator: 25,
      denominator: 289730,
      value: 0.9,
      reported: 2,
      members: 308,
    },
  ]);
});

describe("vp-tyohonvalmennus: tyohonvalmennus, a count of a stock", () => {
  check("vp-tyohonvalmennus", [
    {
      level: "kunta",
      area: "092",
      period: "2024Q1",
      numerator: 16,
      denominator: null,
      value: 16,
      reported: 1,
      members: 1,
    },
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 17,
      denominator: null,
      value: 17,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "43",
      period: "2024Q1-2024Q4",
      numerator: 17,
      denominator: null,
      value: 17,
      reported: 1,
      members: 1,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      numerator: 19,
      denominator: null,
      value: 19,
      reported: 2,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024",
      category: "mielenterveys_paihde",
      numerator: 6,
      denominator: null,
      value: 6,
      reported: 1,
      members: 308,
    },
  ]);
});

describe("tt-ohjautuneet-per-1000: referrals in / population × 1000", () => {
  check("tt-ohjautuneet-per-1000", [
    {
      level: "kunta",
      area: "092",
      period: "2024Q1",
      numerator: 40,
      denominator: 251269,
      value: 0.2,
      reported: 1,
      members: 1,
    },
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 160,
      denominator: 251269,
      value: 0.6,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "11",
      period: "2024Q1",
      numerator: 10,
      denominator: 38461,
      value: 0.3,
      reported: 1,
      members: 2,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      numerator: 50,
      denominator: 289730,
      value: 0.2,
      reported: 2,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024Q1-2024Q4",
      // Kerava sent 2024Q1 only: its 10 referrals, and its population for one quarter of four
      // (38 461 / 4 = 9 615.25 person-years)
      numerator: 170,
      denominator: 260884,
      value: 0.7,
      reported: 1,
      members: 308,
    },
  ]);
});

describe("tt-terveydenhuollosta: referrals in from health care / all referrals in", () => {
  check("tt-terveydenhuollosta", [
    {
      level: "kunta",
      area: "092",
      period: "2024Q1",
      numerator: 15,
      denominator: 40,
      value: 37.5,
      reported: 1,
      members: 1,
    },
    {
      level: "kunta",
      area: "092",
      period: "2024Q4",
      numerator: 32,
      denominator: 40,
      value: 80,
      reported: 1,
      members: 1,
    },
    // 15 × 3 + 32 = 77 of 160 = 48.125
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 77,
      denominator: 160,
      value: 48.1,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "11",
      period: "2024Q1",
      numerator: 6,
      denominator: 10,
      value: 60,
      reported: 1,
      members: 2,
    },
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      numerator: 21,
      denominator: 50,
      value: 42,
      reported: 2,
      members: 2,
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024Q1-2024Q4",
      // Kerava's 2024Q1 adds 6 from health care of 10
      numerator: 83,
      denominator: 170,
      value: 48.8,
      reported: 1,
      members: 308,
    },
  ]);
});

describe("tt-tyohon-kuntoutukseen: onward to work, work trial, job coaching or vocational rehabilitation / all onward", () => {
  check("tt-tyohon-kuntoutukseen", [
    {
      level: "kunta",
      area: "092",
      period: "2024Q1",
      numerator: 10,
      denominator: 30,
      value: 33.3,
      reported: 1,
      members: 1,
    },
    {
      level: "kunta",
      area: "092",
      period: "2024",
      numerator: 40,
      denominator: 120,
      value: 33.3,
      reported: 1,
      members: 1,
    },
    {
      level: "tyollisyysalue",
      area: "43",
      period: "2024Q2",
      numerator: 10,
      denominator: 30,
      value: 33.3,
      reported: 1,
      members: 1,
    },
    // Kerava reported referrals in but not onward for 2024Q1: only Vantaa counts
    {
      level: "hyvinvointialue",
      area: "04",
      period: "2024Q1",
      numerator: 10,
      denominator: 30,
      value: 33.3,
      reported: 1,
      members: 2,
      missing: ["245"],
    },
    {
      level: "koko_maa",
      area: "SSS",
      period: "2024Q1-2024Q4",
      numerator: 40,
      denominator: 120,
      value: 33.3,
      reported: 1,
      members: 308,
    },
  ]);
});

describe("an area none of whose members sent the whole period", () => {
  // Employment area 11: Kerava missed 2024Q2 and Sipoo sends nothing, so the area has no 2024. What
  // Kerava sent of it is not published as the area's numbers either (they are not protected as such).
  test("shows neither a value nor numbers", async () => {
    const v = await one(t.env, {
      indicator: "kt-tyohon",
      level: "tyollisyysalue",
      area: "11",
      period: "2024",
    });
    expect({ status: v.status, value: v.value, numerator: v.numerator, denominator: v.denominator }).toEqual({
      status: "missing",
      value: null,
      numerator: null,
      denominator: null,
    });
  });
});
