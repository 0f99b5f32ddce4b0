import { describe, expect, test } from "vitest";
import { polku } from "../../pipelines/datasets/polku.ts";
import { codes, exampleFile, theOne, useEnv } from "./csv.ts";

const t = useEnv();

/** A `polku` file: the template's example with the overrides of each row. */
const polkuFile = (...rows: Record<string, string>[]) => exampleFile(polku, ...rows);

describe("polku: parts within their whole", () => {
  test("a domain's changes adding up to those measured at both points is valid", async () => {
    const report = await t.check(polkuFile({}));
    expect(report).toMatchObject({ status: "valid", rows: 1, errors: [] });
  });

  test("a domain's changes adding up to less (an unanswered domain) is valid", async () => {
    const report = await t.check(polkuFile({ osaaminen_heikkeni: "0" }));
    expect(report.status).toBe("valid");
  });

  test("improved + unchanged + declined over measured at both points names the row, domain and both numbers", async () => {
    const report = await t.check(polkuFile({}, { palvelu: "tyotoiminta", osaaminen_parani: "9" }));
    const e = theOne(report.errors, "SEU_ROW_PARTS_OVER_WHOLE");
    expect(e).toMatchObject({ row: 3, column: "osaaminen_parani", value: "15" });
    expect(e.message).toContain("osaaminen_parani + osaaminen_ennallaan + osaaminen_heikkeni");
    expect(e.message).toContain("mitattu_molemmat (10)");
  });

  test("employed at the end over those measured at the end is an error", async () => {
    const report = await t.check(polkuFile({ tyollistyi: "12" }));
    expect(theOne(report.errors, "SEU_ROW_PARTS_OVER_WHOLE")).toMatchObject({ column: "tyollistyi" });
  });

  test("positive feedback over feedback given is an error", async () => {
    const report = await t.check(polkuFile({ palaute_myonteinen: "13" }));
    expect(theOne(report.errors, "SEU_ROW_PARTS_OVER_WHOLE")).toMatchObject({
      column: "palaute_myonteinen",
    });
  });

  test("an empty whole checks nothing: not reported is not zero", async () => {
    const report = await t.check(polkuFile({ mitattu_molemmat: "" }));
    expect(codes(report.errors)).not.toContain("SEU_ROW_PARTS_OVER_WHOLE");
  });

  test("a service outside the three is an error listing them", async () => {
    const report = await t.check(polkuFile({ palvelu: "paivatoiminta" }));
    const e = theOne(report.errors, "SEU_VAL_CATEGORY");
    expect(e.message).toContain("kuntouttava_tyotoiminta, tyohonvalmennus, tyotoiminta");
  });

  test("the same municipality, quarter and service twice is an error", async () => {
    const report = await t.check(polkuFile({}, {}));
    expect(codes(report.errors)).toContain("SEU_ROW_DUPLICATE_KEY");
  });
});
