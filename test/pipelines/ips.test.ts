import { describe, expect, test } from "vitest";
import { ips } from "../../pipelines/datasets/ips.ts";
import { codes, exampleFile, theOne, useEnv } from "./csv.ts";

// Today is fixed, so that what is in the future is known.
const t = useEnv({ SEURANTA_TODAY: "2025-06-30" });

/** A `ips` file: the template's example with the overrides of each row. */
const ipsFile = (...rows: Record<string, string>[]) => exampleFile(ips, ...rows);

describe("ips reviews", () => {
  test("the example review is valid, with a date written the Finnish way too", async () => {
    const report = await t.check(ipsFile({}, { arviointipaiva: "14.9.2024" }));
    expect(report).toMatchObject({ status: "valid", rows: 2, errors: [] });
  });

  test("a score outside 1–5 names the item and the accepted range", async () => {
    const report = await t.check(ipsFile({ k03: "6" }));
    const e = theOne(report.errors, "SEU_VAL_SCORE");
    expect(e).toMatchObject({ row: 2, column: "k03", value: "6" });
    expect(e.message).toContain("1–5");
  });

  test("a score that is not a whole number is an error", async () => {
    const report = await t.check(ipsFile({ k10: "2,5" }));
    expect(theOne(report.errors, "SEU_VAL_SCORE")).toMatchObject({ column: "k10", value: "2,5" });
  });

  test("a missing item is an error naming its column", async () => {
    const report = await t.check(ipsFile({ k07: "" }));
    expect(theOne(report.errors, "SEU_VAL_REQUIRED")).toMatchObject({ row: 2, column: "k07" });
  });

  test("a review date in the future is an error naming today", async () => {
    const report = await t.check(ipsFile({ arviointipaiva: "2025-07-01" }));
    const e = theOne(report.errors, "SEU_VAL_DATE_RANGE");
    expect(e).toMatchObject({ column: "arviointipaiva", value: "2025-07-01" });
    expect(e.message).toContain("30.6.2025");
  });

  test("a date that does not exist is an error with the accepted forms", async () => {
    const report = await t.check(ipsFile({ arviointipaiva: "31.2.2025" }));
    expect(theOne(report.errors, "SEU_VAL_DATE_FORM").message).toContain("14.3.2025");
  });

  test("the same unit and date twice in one file is an error", async () => {
    const report = await t.check(ipsFile({}, {}));
    expect(codes(report.errors)).toContain("SEU_ROW_DUPLICATE_KEY");
  });

  test("a review sent again for the same unit and date replaces the earlier row", async () => {
    const first = await t.env.ingest("ips1.csv", ipsFile({}));
    expect(first.status).toBe("loaded");
    const again = await t.env.ingest("ips2.csv", ipsFile({ k01: "5" }));
    expect(again.keys_replaced).toEqual([{ yksikko: "VS-IPS-1", arviointipaiva: "2024-03-14" }]);
    const rows = await t.env.db.all<{ k01: number }>(`SELECT k01 FROM ips`);
    expect(rows).toEqual([{ k01: 5 }]);
  });
});
