import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { auditLatestRelease } from "../../indicators/protection-tables.ts";
import { readValues } from "../../indicators/read.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { loadAndCompute } from "./support.ts";

// A hidden zero inside a shown zero. County 02, 2024Q1: Järvenpää (186) ended 2 periods, Hyvinkää
// (106) 68, and nobody in either had an unknown outcome. Järvenpää's kt-ei-tietoa is hidden (0 of 2:
// a small denominator), but the county's "0 of 70" says that every municipality in it had 0: no
// perturbation can move Järvenpää's 0 without moving the county's. Hiding the county's 0 (not a small
// number) is not what protection is for; the hidden 0 is public knowledge, not a leak.

const HEADER =
  "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa";
const ROWS = ["186;2024Q1;40;5;2;1;0;0;0;0;1;0;0;0;0", "106;2024Q1;300;20;68;10;8;5;5;5;20;5;5;5;0"];

describe("a hidden zero inside a shown zero", () => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await makeTestEnv();
    await loadAndCompute(env, { "kt.csv": `${HEADER}\n${ROWS.join("\n")}\n` });
  });
  afterAll(() => env.close());

  const eiTietoa = (level: "kunta" | "hyvinvointialue", area: string) =>
    readValues(env.db, { indicator: "kt-ei-tietoa", level, area, period: "2024Q1", category: "" });

  test("the municipality's share is hidden", async () => {
    expect((await eiTietoa("kunta", "186")).values[0]?.status).toBe("suppressed");
  });

  test("the county's zero stays shown", async () => {
    const county = (await eiTietoa("hyvinvointialue", "02")).values[0];
    expect(county?.status).toBe("zero");
    expect(county?.numerator).toBe(0);
  });

  test("the audit counts the hidden zero as told by the shown one and finds nothing", async () => {
    const report = await auditLatestRelease(env.db, env.config);
    expect(report.knownZero).toBeGreaterThan(0);
    expect(report.findings).toEqual([]);
  });
});
