import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLatestRelease } from "../../indicators/protection-tables.ts";
import { readValues } from "../../indicators/read.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { auditUnderLegacyRule } from "../support/legacy-audit.ts";
import { loadAndCompute } from "./support.ts";

// The ways an outsider recomputed hidden numbers under the old rule (issue 2.1), each as a small
// fixture: the old rule leaks, the protection does not. "Leaks" is what the audit (the attacker)
// finds: a hidden number that is a combination of published ones, or narrowed below the range.

const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";
/** A kuntouttava row from its outcomes (paattyneet is their sum). */
const kt = (kunta: string, quarter: string, outcomes: number[], asiakkaat = 200) =>
  `${kunta};${quarter};${asiakkaat};10;${outcomes.reduce((a, b) => a + b, 0)};${outcomes.join(";")}`;
/** Outcomes in the order of the header: tyo, palkkatuettu_tyo, opiskelu, te, tyoton, jatkaa, sote, muu, muutto, ei_tietoa. */
const big = [20, 10, 10, 10, 10, 30, 10, 10, 10, 10];

/**
 * Loads and computes (protected and audited). The old rule's test comes last in each block: it
 * replaces the stored release with what the old rule would have published.
 */
function useLeakFixture(rows: string[]) {
  return useFilesFixture({ "kt.csv": `${HEADER}\n${rows.join("\n")}\n` });
}

/** As useLeakFixture, for files of any dataset. */
function useFilesFixture(files: Record<string, string>) {
  const state = {} as { env: TestEnv };
  beforeAll(async () => {
    state.env = await makeTestEnv();
    await loadAndCompute(state.env, files);
  });
  afterAll(() => state.env.close());
  return state;
}

/** The two tests of a fixture: the protected release leaks nothing, the old rule's gave a number away. */
function leaksOnlyUnderTheOldRule(t: { env: TestEnv }) {
  test("leaks nothing under the protection", async () => {
    const report = await auditLatestRelease(t.env.db, t.env.config);
    expect(report.hiddenNumbers).toBeGreaterThan(0);
    expect(report.findings).toEqual([]);
  });
  test("leaked under the old rule", async () => {
    const report = await auditUnderLegacyRule(t.env.db, t.env.config);
    expect(report.findings.some((f) => f.kind === "derivable")).toBe(true);
  });
}

describe("overlapping periods (year, four quarters, quarter)", () => {
  // Jämsä (182): jatkaa 2023Q4 = 5, 2024Q1–Q3 = 2 each, 2024Q4 = 3. Under the old rule the year 2024
  // (9), the four quarters 2023Q4–2024Q3 (11) and 2023Q4 (5) were shown, so 2024Q4 = 9 − (11 − 5) = 3.
  const jatkaa: Record<string, number> = { "2023Q4": 5, "2024Q1": 2, "2024Q2": 2, "2024Q3": 2, "2024Q4": 3 };
  const quarters = ["2023Q1", "2023Q2", "2023Q3", "2023Q4", "2024Q1", "2024Q2", "2024Q3", "2024Q4"];
  const t = useLeakFixture([
    ...quarters.map((q) => kt("182", q, [10, 5, 5, 10, 10, jatkaa[q] ?? 6, 5, 5, 5, 5])),
    ...quarters.map((q) => kt("179", q, big, 900)),
  ]);

  leaksOnlyUnderTheOldRule(t);
});

describe("indicators sharing a numerator", () => {
  // Jämsä 2024Q1: work 3 + 3 shown as kt-tyohon (6), work or studies 8 as kt-tyohon-opiskeluun, so the
  // hidden studies (2) of the outcome breakdown was 8 − 6.
  const t = useLeakFixture([
    kt("182", "2024Q1", [3, 3, 2, 10, 10, 10, 5, 5, 5, 5]),
    kt("179", "2024Q1", big, 900),
  ]);

  test("leaks nothing under the protection", async () => {
    expect((await auditLatestRelease(t.env.db, t.env.config)).findings).toEqual([]);
  });
  test("leaked under the old rule", async () => {
    const report = await auditUnderLegacyRule(t.env.db, t.env.config);
    expect(report.findings.length).toBeGreaterThan(0);
  });
});

describe("the area total and a number shown as another indicator's cells", () => {
  // County 02, Järvenpää (186) and Hyvinkää (106) reporting: Järvenpää's work (2 + 1) is hidden and the
  // old rule hid Hyvinkää's kt-tyohon to protect it from the county's. But Hyvinkää's work (10) and
  // subsidised work (8) were shown in the outcome breakdown: county − 18 gave Järvenpää's 3.
  const t = useLeakFixture([
    kt("186", "2024Q1", [2, 1, 5, 5, 5, 10, 5, 5, 5, 5]),
    kt("106", "2024Q1", [10, 8, 5, 5, 5, 10, 5, 5, 5, 5]),
  ]);

  test("leaks nothing under the protection", async () => {
    expect((await auditLatestRelease(t.env.db, t.env.config)).findings).toEqual([]);
  });

  test("the county's figure stays shown", async () => {
    const county = await readValues(t.env.db, {
      indicator: "kt-tyohon",
      level: "hyvinvointialue",
      area: "02",
      period: "2024Q1",
      category: "",
    });
    expect(county.values[0]?.status).toBe("value");
  });
  test("leaked under the old rule", async () => {
    const report = await auditUnderLegacyRule(t.env.db, t.env.config);
    expect(report.findings.some((f) => f.kind === "derivable")).toBe(true);
  });
});

describe("a breakdown whose other categories are all shown", () => {
  // Jämsä 2024Q1: unknown outcome 2 of 92 ended periods. The old rule hid that category and nothing else
  // of the breakdown, so 92 − the nine shown outcomes gave the 2.
  const t = useLeakFixture([
    kt("182", "2024Q1", [10, 10, 10, 10, 10, 10, 10, 10, 10, 2]),
    kt("179", "2024Q1", big, 900),
  ]);

  leaksOnlyUnderTheOldRule(t);
});

describe("the area hierarchy and time together", () => {
  // Jyväskylä (179) and Jämsä (182), county 13, four quarters: Jämsä's work in 2024Q2 is 2. The old
  // rule fixed each table on its own (one more member of the county, one more quarter of the year), and
  // the county's figures with both municipalities' four-quarter periods still gave a hidden number
  // exactly (the audit finds it); the protection treats them as one system.
  const quarters = ["2023Q3", "2023Q4", "2024Q1", "2024Q2"];
  const t = useLeakFixture([
    ...quarters.map((q) => kt("182", q, [q === "2024Q2" ? 2 : 8, 5, 5, 5, 5, 10, 5, 5, 5, 5])),
    ...quarters.map((q) => kt("179", q, big, 900)),
  ]);

  leaksOnlyUnderTheOldRule(t);
});

describe("the yearly mean of clients with its quarters and the areas", () => {
  // County 02, 2024, clients in kuntouttava työtoiminta per quarter: Hyvinkää (106) 0, 0, 8, 7 and
  // Järvenpää (186) 6, 4, 2, 2. The county's Q2 (4) was hidden and the old rule hid its Q1 as the one
  // more quarter, but the county's Q1 was the sum of two shown municipal quarters (0 + 6), and the
  // year's mean 7.25 is the quarters' sum over four: Q2 = 4 × 7.25 − 6 − 10 − 9 = 4. Rounding the mean
  // to a rate's one decimal would not help: clients are whole, so 4 × the mean still pins the sum.
  const ten = Array.from({ length: 10 }, () => 10);
  const clients: Record<string, number[]> = { "106": [0, 0, 8, 7], "186": [6, 4, 2, 2] };
  const t = useLeakFixture(
    Object.entries(clients).flatMap(([kunta, perQuarter]) =>
      perQuarter.map((n, i) => kt(kunta, `2024Q${i + 1}`, ten, n)),
    ),
  );

  leaksOnlyUnderTheOldRule(t);
});

describe("team referrals: a count shown as another indicator's denominator", () => {
  // County 02, 2024Q1: Järvenpää (186) sent 3 referrals into the team, Pornainen (611) 30, Hyvinkää
  // (106) 6. The old rule fixed each indicator's table on its own: in tt-ohjautuneet-per-1000 it hid
  // the smallest municipality by population (Pornainen), in tt-terveydenhuollosta the smallest by
  // referrals (Hyvinkää). But both counts are the same number (referrals in): Pornainen's 30 stayed
  // shown as the health-care share's denominator, Hyvinkää's 6 as the per-inhabitant rate's
  // numerator, and the county's 39 − 30 − 6 gave Järvenpää's 3.
  const tiimi = (kunta: string, counts: number[]) =>
    ["tyoterveyshuolto", "perusterveydenhuolto", "tyollisyyspalvelut", "oma_yhteydenotto"].map(
      (luokka, i) => `${kunta};2024Q1;tulo;${luokka};${counts[i]}`,
    );
  const t = useFilesFixture({
    "tt.csv": `kunta;vuosineljannes;suunta;luokka;lukumaara\n${[
      ...tiimi("186", [1, 1, 1, 0]),
      ...tiimi("611", [10, 10, 5, 5]),
      ...tiimi("106", [3, 2, 1, 0]),
    ].join("\n")}\n`,
  });

  leaksOnlyUnderTheOldRule(t);

  test("the old rule showed Pornainen's 30 and Hyvinkää's 6, each in one of the two indicators", async () => {
    // runs after "leaked under the old rule", which stored the old rule's release
    const status = async (indicator: string, area: string) =>
      (await readValues(t.env.db, { indicator, level: "kunta", area, period: "2024Q1", category: "" }))
        .values[0];
    expect((await status("tt-ohjautuneet-per-1000", "611"))?.status).toBe("suppressed");
    expect(await status("tt-terveydenhuollosta", "611")).toMatchObject({ status: "value", denominator: 30 });
    expect((await status("tt-terveydenhuollosta", "106"))?.status).toBe("suppressed");
    expect(await status("tt-ohjautuneet-per-1000", "106")).toMatchObject({ status: "value", numerator: 6 });
  });
});
