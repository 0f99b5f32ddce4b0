import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { recomputeAll } from "../../indicators/compute.ts";
import { auditLatestRelease } from "../../indicators/protection-tables.ts";
import { type ReaderValue, readValues } from "../../indicators/read.ts";
import { loadCatalogue } from "../../indicators/registry.ts";
import { KOHDERYHMAT } from "../../pipelines/datasets/vammaispalvelut.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { auditUnderLegacyRule } from "../support/legacy-audit.ts";
import { random } from "../support/random.ts";

// A generated small-municipality dataset (issue 2.1): county 03 (ten municipalities in four employment
// areas) over eight quarters, counts mostly 0–6, all three datasets; then a second release with one
// more quarter, audited together with the first. The first quarters' data do not change, so the second
// release publishes of them exactly what the first did.

const KUNNAT = ["049", "078", "149", "224", "235", "257", "444", "710", "755", "927"];
const quarterLabel = (i: number) => `${2023 + Math.floor(i / 4)}Q${(i % 4) + 1}`;

function generate(quarters: number[]) {
  const r = random(2025);
  const small = (max = 6) => Math.floor(r() * (max + 1));
  const kt = [
    "kunta;vuosineljannes;asiakkaat;aloittaneet;paattyneet;tyo;palkkatuettu_tyo;opiskelu;te_palvelut;tyoton;jatkaa;sote_palvelut;muu_toimeentulo;muutto;ei_tietoa",
  ];
  const vp = [
    "kunta;vuosineljannes;kohderyhma;palkkatyo;avotyotoiminta;tyotoiminta;paivatoiminta;tyohonvalmennus",
  ];
  const tt = ["kunta;vuosineljannes;suunta;luokka;lukumaara"];
  for (const k of KUNNAT)
    for (const i of quarters) {
      const q = quarterLabel(i);
      const outcomes = Array.from({ length: 10 }, (_, j) => small(j === 5 ? 12 : 4));
      kt.push(
        `${k};${q};${small(40)};${small(10)};${outcomes.reduce((a, b) => a + b, 0)};${outcomes.join(";")}`,
      );
      for (const g of KOHDERYHMAT)
        vp.push(`${k};${q};${g};${small()};${small()};${small()};${small()};${small(3)}`);
      for (const l of ["tyoterveyshuolto", "perusterveydenhuolto", "tyollisyyspalvelut", "oma_yhteydenotto"])
        tt.push(`${k};${q};tulo;${l};${small()}`);
      for (const l of ["tyokykyarvio", "tyokokeilu", "kuntouttava_tyotoiminta", "muu"])
        tt.push(`${k};${q};lahto;${l};${small()}`);
    }
  return { "kt.csv": `${kt.join("\n")}\n`, "vp.csv": `${vp.join("\n")}\n`, "tt.csv": `${tt.join("\n")}\n` };
}

async function load(env: TestEnv, files: Record<string, string>) {
  for (const [name, text] of Object.entries(files)) {
    const report = await env.ingest(name, text);
    expect(report.errors, name).toEqual([]);
  }
}

/** Every value of the catalogue as readers get it, keyed by indicator, area, period and category. */
async function allValues(env: TestEnv): Promise<Map<string, ReaderValue>> {
  const out = new Map<string, ReaderValue>();
  for (const e of (await loadCatalogue()).entries)
    for (const v of (await readValues(env.db, { indicator: e.definition.id })).values)
      out.set(`${v.indicator}|${v.level}|${v.area}|${v.period}|${v.category ?? ""}`, v);
  return out;
}

describe("a generated small-municipality county, two releases", () => {
  let env: TestEnv;
  let first: Map<string, ReaderValue>;
  // what readers get of the second release, read once for the tests that only read it
  let second: Promise<Map<string, ReaderValue>> | undefined;
  const secondValues = () => {
    second ??= allValues(env);
    return second;
  };
  beforeAll(async () => {
    env = await makeTestEnv();
    // eight quarters 2023Q1–2024Q4 first, then 2025Q1 as a second release
    await load(env, generate([0, 1, 2, 3, 4, 5, 6, 7]));
    await recomputeAll(env.db, env.config);
    first = await allValues(env);
  }, 120_000);
  afterAll(() => env.close());

  test("the first release leaks nothing, with many small numbers hidden", async () => {
    const report = await auditLatestRelease(env.db, env.config);
    expect(report.hiddenNumbers).toBeGreaterThan(100);
    expect(report.findings).toEqual([]);
  });

  test("the audit accounts for every hidden number: by certificate, by linear program, as a zero a shown zero tells, or as a finding", async () => {
    const report = await auditLatestRelease(env.db, env.config);
    const derivable = report.findings.filter((f) => f.kind === "derivable").length;
    expect(report.byCertificate + report.byLp + derivable + report.knownZero).toBe(report.hiddenNumbers);
    expect(report.byCertificate).toBeGreaterThan(0);
  });

  test("the second release, audited with everything the first showed still shown, leaks nothing", async () => {
    const files = generate([8]);
    await load(env, files);
    await recomputeAll(env.db, env.config);
    const report = await auditLatestRelease(env.db, env.config);
    expect(report.findings).toEqual([]);
  }, 120_000);

  test("a figure shown in the first release is still shown with the same number in the second", async () => {
    const second = await secondValues();
    let shownBefore = 0;
    for (const [key, before] of first) {
      if (before.status !== "value" && before.status !== "zero") continue;
      shownBefore++;
      const after = second.get(key);
      expect(after?.status, key).toBe(before.status);
      expect(after?.value, key).toBe(before.value);
    }
    expect(shownBefore).toBeGreaterThan(100);
  });

  test("a figure hidden in the first release is still hidden in the second, showing the same numbers", async () => {
    const second = await secondValues();
    let hiddenBefore = 0;
    for (const [key, before] of first) {
      if (before.status !== "suppressed") continue;
      hiddenBefore++;
      const after = second.get(key);
      expect(after?.status, key).toBe("suppressed");
      expect([after?.numerator, after?.denominator], key).toEqual([before.numerator, before.denominator]);
    }
    expect(hiddenBefore).toBeGreaterThan(100);
  });

  test("a recompute of unchanged data publishes every figure as the release before it did", async () => {
    const before = await secondValues();
    const summary = await recomputeAll(env.db, env.config);
    // no figure changed, so no release is made (release-versions.test.ts), and the two tell nothing together
    expect(summary.release).toBeNull();
    expect(summary.suppressed.together).toMatchObject({ findings: 0, superseded: 0 });
    const after = await allValues(env);
    expect(after.size).toBe(before.size);
    for (const [key, v] of before) {
      const { status, value, numerator, denominator } = after.get(key) ?? {};
      expect({ status, value, numerator, denominator }, key).toEqual({
        status: v.status,
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
      });
    }
  }, 120_000);

  test("the same data under the old rule leaked", async () => {
    const report = await auditUnderLegacyRule(env.db, env.config);
    expect(report.findings.length).toBeGreaterThan(0);
  });
});
