import { describe, expect, test } from "vitest";
import { lastEndedQuarter, quarterLabel } from "../../core/quarter.ts";
import { codes, theOne, tiimiFile, useEnv, vpFile } from "./csv.ts";

const t = useEnv();

/** Checks a one-row `tiimi` file. */
const tiimi = (kunta: string, quarter: string, suunta = "tulo", luokka = "kela", lukumaara = "5") =>
  t.check(tiimiFile([kunta, quarter, suunta, luokka, lukumaara]));

async function population(kunta: string, year: number): Promise<number> {
  const row = await t.env.db.one<{ vaesto: number }>(
    `SELECT vaesto FROM ref_vaesto WHERE kunta = ? AND vuosi <= ? ORDER BY vuosi DESC LIMIT 1`,
    [kunta, year],
  );
  if (!row) throw new Error(`no population for ${kunta}`);
  return row.vaesto;
}

describe("municipality", () => {
  test("a 3-digit code is read as it is, without a warning", async () => {
    const report = await tiimi("091", "2024Q1");
    expect(report).toMatchObject({ status: "valid", warnings: [] });
  });

  test.each([
    ["91", "091"],
    ["5", "005"],
    ["KU091", "091"],
    ["ku091", "091"],
  ])("the code %s is read as %s with a warning", async (sent, code) => {
    const report = await tiimi(sent, "2024Q1");
    expect(report.status).toBe("valid");
    const w = theOne(report.warnings, "SEU_VAL_KUNTA_CODE_FORM");
    expect(w).toMatchObject({ row: 2, line: 2, column: "kunta", value: sent });
    expect(w.message).toContain(code);
  });

  test.each([
    ["Helsinki", "091"],
    ["Helsingfors", "091"],
    ["HELSINKI", "091"],
    ["jyväskylä", "179"],
    ["Åbo", "853"],
    ["  Tavastehus ", "109"],
    ["Jyva\u0308skyla\u0308", "179"],
  ])("the exact name %j is mapped to %s with a warning", async (sent, code) => {
    const report = await tiimi(sent, "2024Q1");
    expect(report.errors).toEqual([]);
    const w = theOne(report.warnings, "SEU_VAL_KUNTA_NAME");
    expect(w.column).toBe("kunta");
    expect(w.message).toContain(code);
  });

  test("a name without its ä (Jyvaskyla) is an error that suggests Jyväskylä (179)", async () => {
    const report = await tiimi("Jyvaskyla", "2024Q1");
    expect(report.status).toBe("rejected");
    const e = theOne(report.errors, "SEU_VAL_KUNTA_UNKNOWN");
    expect(e).toMatchObject({ row: 2, line: 2, column: "kunta", value: "Jyvaskyla" });
    expect(e.message).toContain("Jyväskylä (179)");
  });

  test("a name with another spelling is not folded to a municipality", async () => {
    const report = await tiimi("Helsingin kaupunki", "2024Q1");
    expect(codes(report.errors)).toEqual(["SEU_VAL_KUNTA_UNKNOWN"]);
  });

  test.each(["999", "000", "0091", "91.0", "K091"])("the unknown code %s is an error", async (sent) => {
    const report = await tiimi(sent, "2024Q1");
    expect(theOne(report.errors, "SEU_VAL_KUNTA_UNKNOWN")).toMatchObject({ column: "kunta", value: sent });
  });

  test("an empty municipality is an error", async () => {
    const report = await tiimi("", "2024Q1");
    expect(theOne(report.errors, "SEU_VAL_REQUIRED")).toMatchObject({ column: "kunta", value: null });
  });

  test("Pertunmaa (588) before the merger is valid without a merger warning", async () => {
    const report = await tiimi("588", "2024Q4");
    expect(report).toMatchObject({ status: "valid", warnings: [] });
  });

  test("Pertunmaa (588) from 2025Q1 is mapped to Mäntyharju (507) with a warning", async () => {
    const report = await tiimi("588", "2025Q1");
    expect(report.status).toBe("valid");
    const w = theOne(report.warnings, "SEU_VAL_KUNTA_MERGED");
    expect(w).toMatchObject({ column: "kunta", value: "588" });
    expect(w.message).toContain("Mäntyharju (507)");
    expect(w.message).toContain("1.1.2025");
  });

  test("the name Pertunmaa is accepted and, from 2025, mapped to 507", async () => {
    const report = await tiimi("Pertunmaa", "2025Q2");
    expect(report.status).toBe("valid");
    expect(codes(report.warnings).sort()).toEqual(["SEU_VAL_KUNTA_MERGED", "SEU_VAL_KUNTA_NAME"]);
  });

  test("an analyst of Mäntyharju (507) may send Pertunmaa (588) rows before and after the merger", async () => {
    const report = await t.check(
      tiimiFile(
        ["588", "2024Q4", "tulo", "kela", "2"],
        ["588", "2025Q1", "tulo", "kela", "1"],
        ["507", "2024Q4", "tulo", "kela", "3"],
      ),
      { allowedKunnat: ["507"] },
    );
    expect(report.errors).toEqual([]);
    expect(report.status).toBe("valid");
  });

  test("an analyst may not send another municipality's rows", async () => {
    const report = await t.check(
      tiimiFile(["091", "2024Q1", "tulo", "kela", "2"], ["179", "2024Q1", "tulo", "kela", "1"]),
      {
        allowedKunnat: ["091"],
      },
    );
    expect(theOne(report.errors, "SEU_ROW_KUNTA_NOT_ALLOWED")).toMatchObject({
      row: 3,
      column: "kunta",
      value: "179",
    });
  });
});

describe("quarter", () => {
  test.each([
    "2024Q1",
    "2024q1",
    "2024-Q1",
    "2024-q1",
    "2024 Q1",
    "2024 q1",
    "2024/1",
    "Q1/2024",
    "q1/2024",
    " 2024Q1 ",
  ])("the form %j is accepted", async (sent) => {
    const report = await tiimi("091", sent);
    expect(report).toMatchObject({ status: "valid", warnings: [] });
  });

  test("every accepted form is the same quarter (two forms of one key are a duplicate)", async () => {
    const report = await t.check(
      tiimiFile(
        ["091", "2024Q2", "tulo", "kela", "1"],
        ["091", "Q2/2024", "tulo", "kela", "1"],
        ["091", "2024/2", "tulo", "kela", "1"],
      ),
    );
    expect(codes(report.errors)).toEqual(["SEU_ROW_DUPLICATE_KEY", "SEU_ROW_DUPLICATE_KEY"]);
  });

  test.each([
    "2024Q5",
    "2024Q0",
    "2024-1",
    "2024",
    "Q1 2024",
    "2024 K1",
    "1/2024",
    "24Q1",
    "2024Q1Q2",
    "I/2024",
    "2024 Q 1",
  ])("the form %j is an error listing the accepted forms", async (sent) => {
    const report = await tiimi("091", sent);
    const e = theOne(report.errors, "SEU_VAL_QUARTER_FORM");
    expect(e).toMatchObject({ row: 2, line: 2, column: "vuosineljannes", value: sent });
    expect(e.message).toContain("2024Q1, 2024-Q1, 2024 Q1, 2024/1 tai Q1/2024");
  });

  test("an empty quarter is an error", async () => {
    const report = await tiimi("091", "");
    expect(theOne(report.errors, "SEU_VAL_REQUIRED")).toMatchObject({ column: "vuosineljannes" });
  });

  test("2000Q1 is the first quarter accepted", async () => {
    expect((await tiimi("091", "2000Q1")).status).toBe("valid");
  });

  test("a quarter before 2000Q1 is rejected", async () => {
    const report = await tiimi("091", "1999Q4");
    expect(theOne(report.errors, "SEU_VAL_QUARTER_RANGE")).toMatchObject({ value: "1999Q4" });
  });

  test("the last ended quarter (2025Q3 on 2025-11-25) is accepted", async () => {
    expect((await tiimi("091", "2025Q3")).status).toBe("valid");
  });

  test("a quarter in progress is rejected naming the last ended quarter", async () => {
    const report = await tiimi("091", "2025Q4");
    const e = theOne(report.errors, "SEU_VAL_QUARTER_RANGE");
    expect(e).toMatchObject({ column: "vuosineljannes", value: "2025Q4" });
    expect(e.message).toContain("2025Q3");
  });

  test("a future quarter in another form is rejected too", async () => {
    const report = await tiimi("091", "Q1/2026");
    expect(theOne(report.errors, "SEU_VAL_QUARTER_RANGE").message).toContain("2025Q3");
  });

  test.each([
    ["2025-10-01", "2025Q3"],
    ["2025-09-30", "2025Q2"],
    ["2025-01-01", "2024Q4"],
    ["2025-12-31", "2025Q3"],
  ])("on %s the last ended quarter is %s", (today, last) => {
    expect(quarterLabel(lastEndedQuarter(today))).toBe(last);
  });
});

describe("counts", () => {
  test.each(["0", "5", "007"])("the count %j is read", async (sent) => {
    const report = await tiimi("091", "2024Q1", "tulo", "kela", sent);
    expect(report).toMatchObject({ status: "valid", warnings: [] });
  });

  test("an empty count is accepted (not reported)", async () => {
    const report = await tiimi("091", "2024Q1", "tulo", "kela", "");
    expect(report).toMatchObject({ status: "valid", warnings: [] });
  });

  test.each([
    ["a space", "1 234", "1234"],
    ["a no-break space", "1\u00a0234", "1234"],
    ["a narrow no-break space", "1\u202f234", "1234"],
  ])("digit groups separated by %s are read with a warning", async (_name, sent, number) => {
    const report = await tiimi("091", "2024Q1", "tulo", "kela", sent);
    expect(report.status).toBe("valid");
    const w = theOne(report.warnings, "SEU_VAL_COUNT_GROUPED");
    expect(w).toMatchObject({ column: "lukumaara", value: sent });
    expect(w.message).toContain(number);
  });

  test("several digit groups are read as one number (here more than the population)", async () => {
    const report = await tiimi("091", "2024Q1", "tulo", "kela", "1 234 567");
    expect(theOne(report.warnings, "SEU_VAL_COUNT_GROUPED").message).toContain("1234567");
    expect(codes(report.errors)).toEqual(["SEU_VAL_COUNT_OVER_POPULATION"]);
  });

  test.each([
    ["3,5", "SEU_VAL_COUNT_DECIMAL"],
    ["3.5", "SEU_VAL_COUNT_DECIMAL"],
    ["3,0", "SEU_VAL_COUNT_DECIMAL"],
    ["-1", "SEU_VAL_COUNT_NEGATIVE"],
    ["-", "SEU_VAL_COUNT_NOT_NUMBER"],
    [".", "SEU_VAL_COUNT_NOT_NUMBER"],
    ["ei tietoa", "SEU_VAL_COUNT_NOT_NUMBER"],
    ["x", "SEU_VAL_COUNT_NOT_NUMBER"],
    ["1e3", "SEU_VAL_COUNT_NOT_NUMBER"],
    ["12 34", "SEU_VAL_COUNT_NOT_NUMBER"],
    ["5 kpl", "SEU_VAL_COUNT_NOT_NUMBER"],
  ] as const)("the count %j is rejected as %s", async (sent, code) => {
    const report = await tiimi("091", "2024Q1", "tulo", "kela", sent);
    expect(report.status).toBe("rejected");
    expect(codes(report.errors)).toEqual([code]);
    expect(report.errors[0]).toMatchObject({ row: 2, line: 2, column: "lukumaara", value: sent });
  });

  test("a count equal to the population is accepted", async () => {
    const pop = await population("091", 2024);
    expect((await tiimi("091", "2024Q1", "tulo", "kela", String(pop))).status).toBe("valid");
  });

  test("a count larger than the population is rejected naming the population and its year", async () => {
    const pop = await population("091", 2024);
    const report = await tiimi("091", "2024Q1", "tulo", "kela", String(pop + 1));
    const e = theOne(report.errors, "SEU_VAL_COUNT_OVER_POPULATION");
    expect(e).toMatchObject({ column: "lukumaara", value: String(pop + 1) });
    expect(e.message).toContain(String(pop));
    expect(e.message).toContain("2024");
  });

  test("a quarter of a year without population figures uses the latest earlier year", async () => {
    const pop2022 = await population("091", 2022);
    const report = await tiimi("091", "2023Q2", "tulo", "kela", String(pop2022 + 1));
    expect(theOne(report.errors, "SEU_VAL_COUNT_OVER_POPULATION").message).toContain("2022");
  });

  test.each(["99999999999", "123456789012345678901234567890", "999 999 999 999 999 999 999"])(
    "the count %j, far beyond any population, is rejected as over the population",
    async (sent) => {
      const report = await tiimi("091", "2024Q1", "tulo", "kela", sent);
      expect(codes(report.errors)).toEqual(["SEU_VAL_COUNT_OVER_POPULATION"]);
    },
  );

  test("an old code's counts are checked against its successor's population", async () => {
    const pop = await population("507", 2024);
    expect(pop).toBeGreaterThan(await population("588", 2024).catch(() => 0));
    expect((await tiimi("588", "2024Q4", "tulo", "kela", String(pop))).status).toBe("valid");
    const report = await tiimi("588", "2024Q4", "tulo", "kela", String(pop + 1));
    expect(theOne(report.errors, "SEU_VAL_COUNT_OVER_POPULATION").message).toContain("507");
  });
});

describe("categories", () => {
  test.each([
    ["Tulo", "kela"],
    ["TULO", "Kela"],
    [" tulo ", "KELA"],
    ["lähtö", "työkokeilu"],
    ["Lähtö", "Työkokeilu"],
    ["LÄHTÖ", "TYÖKOKEILU"],
    ["tulo", "Oma yhteydenotto"],
    ["tulo", "oma-yhteydenotto"],
    ["tulo", "Kuntoutuksen palveluntuottaja"],
    ["tulo", "Työterveyshuolto"],
    ["lahto", "Työttömien terveystarkastus"],
    ["lahto", "Ei tietoa"],
    ["lähtö", "Lääkinnällinen kuntoutus"],
    ["la\u0308hto\u0308", "tyo\u0308"],
  ])("suunta %j with luokka %j is accepted", async (suunta, luokka) => {
    const report = await tiimi("091", "2024Q1", suunta, luokka);
    expect(report).toMatchObject({ status: "valid", warnings: [] });
  });

  test.each([
    "Kehitysvammaiset",
    "Muut vammaiset",
    "muut-vammaiset",
    "Mielenterveys-päihde",
    "MIELENTERVEYS PÄIHDE",
  ])("kohderyhma %j is accepted", async (kohderyhma) => {
    const report = await t.check(vpFile(["091", "2024Q1", kohderyhma, "1", "2", "3", "4", "5"]));
    expect(report).toMatchObject({ status: "valid", warnings: [] });
  });

  test("an unknown suunta is an error listing the accepted values", async () => {
    const report = await tiimi("091", "2024Q1", "sisään");
    const e = theOne(report.errors, "SEU_VAL_CATEGORY");
    expect(e).toMatchObject({ row: 2, line: 2, column: "suunta", value: "sisään" });
    expect(e.message).toContain("tulo, lahto");
  });

  test("an unknown luokka is an error listing the accepted values", async () => {
    const report = await tiimi("091", "2024Q1", "tulo", "terveyskeskus");
    const e = theOne(report.errors, "SEU_VAL_CATEGORY");
    expect(e).toMatchObject({ column: "luokka", value: "terveyskeskus" });
    expect(e.message).toContain("perusterveydenhuolto");
    expect(e.message).toContain("oma_yhteydenotto");
  });

  test("an unknown kohderyhma is an error listing the accepted values", async () => {
    const report = await t.check(vpFile(["091", "2024Q1", "vammaiset", "1", "2", "3", "4", "5"]));
    const e = theOne(report.errors, "SEU_VAL_CATEGORY");
    expect(e).toMatchObject({ column: "kohderyhma", value: "vammaiset" });
    expect(e.message).toContain("kehitysvammaiset, muut_vammaiset, mielenterveys_paihde");
  });

  test("a category spelled with other letters folded (Tyoterveyshuolto without ö) is accepted only as ä→a/ö→o allow", async () => {
    expect((await tiimi("091", "2024Q1", "tulo", "Tyoterveyshuolto")).status).toBe("valid");
    expect(codes((await tiimi("091", "2024Q1", "tulo", "tyoterveys huolto palvelu")).errors)).toEqual([
      "SEU_VAL_CATEGORY",
    ]);
  });

  test("an empty category is an error", async () => {
    const report = await tiimi("091", "2024Q1", "tulo", "");
    expect(theOne(report.errors, "SEU_VAL_REQUIRED")).toMatchObject({ column: "luokka" });
  });

  test("a tulo row with a lahto category is an error listing the tulo categories", async () => {
    const report = await tiimi("091", "2024Q1", "tulo", "tyokokeilu");
    const e = theOne(report.errors, "SEU_ROW_CATEGORY_FOR_DIRECTION");
    expect(e).toMatchObject({ row: 2, column: "luokka", value: "tyokokeilu" });
    expect(e.message).toContain("tyoterveyshuolto");
    expect(e.message).not.toContain("tyottomien_terveystarkastus");
  });

  test("a lahto row with a tulo category is an error", async () => {
    const report = await tiimi("091", "2024Q1", "Lähtö", "Kela");
    expect(theOne(report.errors, "SEU_ROW_CATEGORY_FOR_DIRECTION").message).toContain("lahto");
  });

  test("muu belongs to both directions", async () => {
    const report = await t.check(
      tiimiFile(["091", "2024Q1", "tulo", "muu", "1"], ["091", "2024Q1", "lahto", "muu", "1"]),
    );
    expect(report.status).toBe("valid");
  });
});
