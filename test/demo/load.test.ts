import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { quarterLabel, quarterOfIndex } from "../../core/quarter.ts";
import { buildDemo, type DemoFile } from "../../pipelines/demo/generate.ts";
import { type DemoPlan, directionsOf, groupsOf, reports } from "../../pipelines/demo/plan.ts";
import type { FileReport } from "../../pipelines/report.ts";
import { makeTestEnv, TEST_TODAY, type TestEnv } from "../support/env.ts";

let env: TestEnv;
let plan: DemoPlan;
let files: DemoFile[];
const results: FileReport[] = [];

beforeAll(async () => {
  env = await makeTestEnv();
  ({ plan, files } = buildDemo({ referenceDir: env.config.referenceDir, today: TEST_TODAY }));
  for (const file of files) results.push(await env.ingest(file.fileName, file.bytes, { source: "demo" }));
});
afterAll(() => env.close());

const label = (q: number) => quarterLabel(quarterOfIndex(q));
const sorted = (keys: string[]) => [...keys].sort();

/** The keys the plan says are reported, as `kunta|quarter[|group]`. */
function plannedKeys(dataset: "kuntouttava" | "vammaispalvelut" | "tiimi"): string[] {
  const keys: string[] = [];
  for (const m of plan.municipalities) {
    for (const q of plan.quarters) {
      if (!reports(plan, dataset, m, q)) continue;
      if (dataset === "kuntouttava") keys.push(`${m.kunta}|${label(q)}`);
      if (dataset === "vammaispalvelut")
        for (const g of groupsOf(plan, m.kunta)) keys.push(`${m.kunta}|${label(q)}|${g}`);
      if (dataset === "tiimi")
        for (const d of directionsOf(plan, m.kunta, q)) keys.push(`${m.kunta}|${label(q)}|${d}`);
    }
  }
  return sorted(keys);
}

async function storedKeys(sql: string): Promise<string[]> {
  return sorted((await env.db.all<{ k: string }>(sql)).map((r) => r.k));
}

describe("demo data through the real pipeline", () => {
  test("every demo file loads with status loaded", () => {
    expect(results.map((r) => [r.file, r.status, r.errors])).toEqual(
      files.map((f) => [f.fileName, "loaded", []]),
    );
  });

  test("every file's rows are taken in", () => {
    expect(results.map((r) => r.rows)).toEqual(files.map((f) => f.rows));
  });

  test("every municipality of the current key has data, and the data spans the 12 latest ended quarters", async () => {
    const kunnat = await env.db.all<{ missing: number }>(
      `SELECT count(*)::INTEGER AS missing FROM ref_kunta
       WHERE kunta NOT IN (SELECT kunta FROM kuntouttava UNION SELECT kunta FROM vammaispalvelut)`,
    );
    const quarters = await storedKeys(
      `SELECT DISTINCT vuosineljannes AS k FROM kuntouttava UNION SELECT DISTINCT vuosineljannes FROM vammaispalvelut`,
    );

    expect(kunnat[0]?.missing).toBe(0);
    expect(await env.db.all(`SELECT count(*)::INTEGER AS n FROM ref_kunta`)).toEqual([{ n: 308 }]);
    expect(quarters).toEqual(plan.quarters.map(label));
  });

  test("kuntouttava holds exactly the planned municipality-quarters, gaps included", async () => {
    const stored = await storedKeys(`SELECT kunta || '|' || vuosineljannes AS k FROM kuntouttava`);
    const everything = plan.municipalities.filter((m) => m.untilQuarter === undefined).length * 12;

    expect(stored).toEqual(plannedKeys("kuntouttava"));
    expect(stored.length).toBeLessThan(everything);
  });

  test("vammaispalvelut holds exactly the planned municipality-quarter-groups", async () => {
    const stored = await storedKeys(
      `SELECT kunta || '|' || vuosineljannes || '|' || kohderyhma AS k FROM vammaispalvelut`,
    );
    expect(stored).toEqual(plannedKeys("vammaispalvelut"));
  });

  test("tiimi holds exactly the planned municipality-quarter-directions of municipalities with a team", async () => {
    const stored = await storedKeys(
      `SELECT DISTINCT kunta || '|' || vuosineljannes || '|' || suunta AS k FROM tiimi`,
    );
    expect(stored).toEqual(plannedKeys("tiimi"));
    expect(plan.teamFrom.size).toBeLessThan(308);
  });

  test("a merged-away municipality reports under its old code until the merger", async () => {
    const rows = await storedKeys(`SELECT DISTINCT vuosineljannes AS k FROM kuntouttava WHERE kunta = '588'`);
    expect(rows).toEqual(plan.quarters.map(label).filter((q) => q < "2025Q1"));
  });

  test("the correction file replaces the row it corrects and fills in its outcomes", async () => {
    const { kunta, quarter } = plan.correction;
    const report = results[results.length - 1];
    const row = await env.db.one<{ paattyneet: number; sum: number }>(
      `SELECT paattyneet, (tyo + palkkatuettu_tyo + opiskelu + te_palvelut + tyoton + jatkaa + sote_palvelut
         + muu_toimeentulo + muutto + ei_tietoa) AS sum FROM kuntouttava WHERE kunta = ? AND vuosineljannes = ?`,
      [kunta, label(quarter)],
    );

    expect(report?.keys_replaced).toEqual([{ kunta, vuosineljannes: label(quarter) }]);
    expect(row?.sum).toBe(row?.paattyneet);
  });

  test("some rows leave outcomes or clients unreported (empty, not zero)", async () => {
    const unreported = await env.db.one<{ outcomes: number; clients: number }>(
      `SELECT count(*) FILTER (WHERE paattyneet IS NOT NULL AND tyo IS NULL)::INTEGER AS outcomes,
              count(*) FILTER (WHERE asiakkaat IS NULL)::INTEGER AS clients FROM kuntouttava`,
    );
    // one of the rows without outcomes was corrected later
    expect(unreported).toEqual({
      outcomes: plan.outcomesUnreported.size - 1,
      clients: plan.clientsUnreported.size,
    });
  });

  test("national outcome shares stay near Lieto 2020", async () => {
    const shares = await env.db.one<Record<string, number>>(
      `SELECT 100.0 * sum(tyo) / sum(paattyneet) AS tyo, 100.0 * sum(jatkaa) / sum(paattyneet) AS jatkaa,
              100.0 * sum(sote_palvelut) / sum(paattyneet) AS sote, 100.0 * sum(ei_tietoa) / sum(paattyneet) AS ei_tietoa
       FROM kuntouttava WHERE tyo IS NOT NULL`,
    );
    expect(shares?.tyo).toBeGreaterThan(6);
    expect(shares?.tyo).toBeLessThan(12);
    expect(shares?.jatkaa).toBeGreaterThan(52);
    expect(shares?.jatkaa).toBeLessThan(66);
    expect(shares?.sote).toBeGreaterThan(6);
    expect(shares?.sote).toBeLessThan(14);
    expect(shares?.ei_tietoa).toBeLessThan(4);
  });

  test("avotyötoiminta is much more common than paid work for people with intellectual disabilities", async () => {
    const totals = await env.db.one<{ palkkatyo: number; avotyo: number }>(
      `SELECT sum(palkkatyo)::INTEGER AS palkkatyo, sum(avotyotoiminta)::INTEGER AS avotyo
       FROM vammaispalvelut WHERE kohderyhma = 'kehitysvammaiset'`,
    );
    expect(totals?.avotyo).toBeGreaterThan(3 * (totals?.palkkatyo ?? 0));
  });

  test("small municipalities give counts of 1–4, so suppression shows", async () => {
    const small = await env.db.one<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM kuntouttava WHERE paattyneet BETWEEN 1 AND 4`,
    );
    expect(small?.n).toBeGreaterThan(50);
  });
});
