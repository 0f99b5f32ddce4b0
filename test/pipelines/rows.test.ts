import { describe, expect, test } from "vitest";
import {
  codes,
  csv,
  KT_COLUMNS,
  ktFile,
  ktRow,
  NO_OUTCOMES,
  theOne,
  tiimiFile,
  useEnv,
  vpFile,
} from "./csv.ts";

const t = useEnv();

describe("kuntouttava outcomes", () => {
  test("a row with paattyneet equal to the sum of all outcomes is valid", async () => {
    const report = await t.check(ktFile({ paattyneet: "6", tyo: "2", jatkaa: "4" }));
    expect(report).toMatchObject({ status: "valid", rows: 1, warnings: [] });
  });

  test("every outcome column counts toward the sum", async () => {
    const ones = Object.fromEntries(Object.keys(NO_OUTCOMES).map((c) => [c, "1"]));
    const report = await t.check(ktFile({ ...ones, paattyneet: "10" }));
    expect(report.status).toBe("valid");
  });

  test("no ended periods: paattyneet 0 and every outcome 0 is valid", async () => {
    const zeros = Object.fromEntries(Object.keys(NO_OUTCOMES).map((c) => [c, "0"]));
    const report = await t.check(ktFile({ ...zeros, paattyneet: "0" }));
    expect(report.status).toBe("valid");
  });

  test("outcomes not reported at all (all empty) are valid, with or without paattyneet", async () => {
    const report = await t.check(
      ktFile(
        { ...NO_OUTCOMES, paattyneet: "6" },
        { ...NO_OUTCOMES, paattyneet: "", vuosineljannes: "2024Q2" },
      ),
    );
    expect(report).toMatchObject({ status: "valid", rows: 2 });
  });

  test("paattyneet different from the sum of the outcomes is an error naming both numbers", async () => {
    const report = await t.check(
      ktFile({}, { vuosineljannes: "2024Q2", paattyneet: "7", tyo: "2", jatkaa: "4" }),
    );
    const e = theOne(report.errors, "SEU_ROW_OUTCOMES_SUM");
    expect(e).toMatchObject({ row: 3, line: 3, column: "paattyneet", value: "7" });
    expect(e.message).toContain("7");
    expect(e.message).toContain("6");
  });

  test('some outcomes empty while others are filled is an error: "merkitse 0, jos jaksoja ei ollut"', async () => {
    const report = await t.check(
      ktFile({ paattyneet: "6", tyo: "2", jatkaa: "4", muutto: "", ei_tietoa: "" }),
    );
    const e = theOne(report.errors, "SEU_ROW_OUTCOMES_PARTIAL");
    expect(e).toMatchObject({ row: 2, line: 2 });
    expect(e.message).toContain("merkitse 0, jos jaksoja ei ollut");
    expect(e.message).toContain("muutto, ei_tietoa");
    expect(codes(report.errors)).toEqual(["SEU_ROW_OUTCOMES_PARTIAL"]);
  });

  test("one outcome filled and the rest empty is an error", async () => {
    const report = await t.check(ktFile({ ...NO_OUTCOMES, paattyneet: "3", tyo: "3" }));
    expect(codes(report.errors)).toEqual(["SEU_ROW_OUTCOMES_PARTIAL"]);
  });

  test("paattyneet empty with the outcomes filled is an error", async () => {
    const report = await t.check(ktFile({ paattyneet: "" }));
    const e = theOne(report.errors, "SEU_ROW_ENDED_MISSING");
    expect(e).toMatchObject({ row: 2, line: 2, column: "paattyneet" });
    expect(codes(report.errors)).toEqual(["SEU_ROW_ENDED_MISSING"]);
  });

  test("a row with a bad outcome cell is reported for that cell, not also for the sum", async () => {
    const report = await t.check(ktFile({ tyo: "2,0" }));
    expect(codes(report.errors)).toEqual(["SEU_VAL_COUNT_DECIMAL"]);
    expect(report.errors[0]).toMatchObject({ column: "tyo", value: "2,0" });
  });

  test("every problem of a row is reported, not just the first", async () => {
    const report = await t.check(
      ktFile({ kunta: "Jyvaskyla", vuosineljannes: "2025Q4", asiakkaat: "-3", opiskelu: "x" }),
    );
    expect(codes(report.errors).sort()).toEqual([
      "SEU_VAL_COUNT_NEGATIVE",
      "SEU_VAL_COUNT_NOT_NUMBER",
      "SEU_VAL_KUNTA_UNKNOWN",
      "SEU_VAL_QUARTER_RANGE",
    ]);
    for (const e of report.errors) expect(e).toMatchObject({ row: 2, line: 2 });
  });
});

describe("duplicate keys", () => {
  test("two identical rows are an error naming both rows", async () => {
    const report = await t.check(ktFile({}, {}));
    const e = theOne(report.errors, "SEU_ROW_DUPLICATE_KEY");
    expect(e).toMatchObject({ row: 3, line: 3 });
    expect(e.message).toContain("rivit 2 ja 3");
    expect(e.message).toContain("091 / 2024Q1");
  });

  test("a duplicate after a multi-line cell names both rows and both physical lines", async () => {
    const header = [...KT_COLUMNS, "huom"];
    const text = csv([
      header,
      [...ktRow(), '"eka\ntoka"'],
      [...ktRow({ kunta: "179" }), ""],
      [...ktRow(), ""],
    ]);
    const report = await t.check(text);
    const e = theOne(report.errors, "SEU_ROW_DUPLICATE_KEY");
    expect(e).toMatchObject({ row: 4, line: 5 });
    expect(e.message).toContain("rivit 2 ja 4");
    expect(e.message).toContain("tiedoston rivit 2 ja 5");
  });

  test("a third copy of a key names the first row too", async () => {
    const report = await t.check(ktFile({}, { kunta: "179" }, {}, {}));
    const dups = report.errors.filter((e) => e.code === "SEU_ROW_DUPLICATE_KEY");
    expect(dups.map((d) => d.row)).toEqual([4, 5]);
    for (const d of dups) expect(d.message).toContain("rivit 2 ja");
  });

  test("a code and a name of the same municipality are the same key", async () => {
    const report = await t.check(ktFile({ kunta: "091" }, { kunta: "Helsinki" }));
    expect(codes(report.errors)).toEqual(["SEU_ROW_DUPLICATE_KEY"]);
  });

  test("an old code after the merger and its successor's code are the same key", async () => {
    const report = await t.check(
      ktFile({ kunta: "507", vuosineljannes: "2025Q1" }, { kunta: "588", vuosineljannes: "2025Q1" }),
    );
    expect(codes(report.errors)).toEqual(["SEU_ROW_DUPLICATE_KEY"]);
  });

  test("an old code before the merger is its own key", async () => {
    const report = await t.check(
      ktFile({ kunta: "507", vuosineljannes: "2024Q4" }, { kunta: "588", vuosineljannes: "2024Q4" }),
    );
    expect(report.status).toBe("valid");
  });

  test("the same kunta and quarter in another kohderyhma is not a duplicate, a spelling variant is", async () => {
    const ok = await t.check(
      vpFile(
        ["091", "2024Q1", "muut_vammaiset", "1", "1", "1", "1", "1"],
        ["091", "2024Q1", "kehitysvammaiset", "1", "1", "1", "1", "1"],
      ),
    );
    expect(ok.status).toBe("valid");
    const dup = await t.check(
      vpFile(
        ["091", "2024Q1", "muut_vammaiset", "1", "1", "1", "1", "1"],
        ["091", "2024Q1", "Muut vammaiset", "1", "1", "1", "1", "1"],
      ),
    );
    expect(codes(dup.errors)).toEqual(["SEU_ROW_DUPLICATE_KEY"]);
  });

  test("tiimi rows are keyed by suunta and luokka", async () => {
    const ok = await t.check(
      tiimiFile(
        ["091", "2024Q1", "tulo", "muu", "1"],
        ["091", "2024Q1", "lahto", "muu", "1"],
        ["091", "2024Q1", "tulo", "kela", "1"],
      ),
    );
    expect(ok.status).toBe("valid");
    const dup = await t.check(
      tiimiFile(["091", "2024Q1", "tulo", "muu", "1"], ["091", "2024Q1", "Tulo", "Muu", "2"]),
    );
    expect(codes(dup.errors)).toEqual(["SEU_ROW_DUPLICATE_KEY"]);
  });
});
