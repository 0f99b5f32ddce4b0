import { tableFromIPC } from "apache-arrow";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ipsJson } from "../../dashboard/api/ips.ts";
import { writeExport } from "../../exports/export.ts";
import type { FormatName } from "../../exports/formats/index.ts";
import { IPS_EXPORT_IDS } from "../../exports/ips.ts";
import { IPS_ITEMS } from "../../pipelines/datasets/ips.ts";
import { makeTestEnv, type TestEnv } from "../support/env.ts";
import { IPS_HEADER, ipsRow } from "../support/ips.ts";
import {
  asCells,
  type Cell,
  expectSameCells,
  keyOf,
  levelCode,
  readCsvExcel,
  readXlsx,
  statusCode,
  withDuckDbFile,
} from "./support.ts";

// The IPS reviews in every export format: Kätevä (Jyväskylä 179) reviewed 83 then 91 points in 2024,
// 100 clients for 5 specialists; a small Jämsä unit (182), 110 points, 3 clients for 1 specialist; a
// review of 2025 outside the exported year. Each format is read back by an independent reader and
// compared with what GET /api/v1/ips gives: scores as they are, the small client count hidden.

let env: TestEnv;
let expected: Map<string, Cell>;
beforeAll(async () => {
  env = await makeTestEnv();
  const rows = [
    IPS_HEADER,
    ipsRow("KS-IPS-1", "Työvalmennuspalvelu Kätevä", "179", "2024-03-14", 83, 5, 100),
    ipsRow("KS-IPS-1", "Työvalmennuspalvelu Kätevä", "179", "2024-10-02", 91, 5, 100),
    ipsRow("KS-IPS-2", "Jämsän työhönvalmennus", "182", "2024-05-20", 110, 1, 3),
    ipsRow("KS-IPS-2", "Jämsän työhönvalmennus", "182", "2025-02-11", 112, 1, 3),
  ];
  expect((await env.ingest("ips.csv", `${rows.join("\n")}\n`)).errors).toEqual([]);
  expected = await fromApi();
});
afterAll(async () => {
  await env?.close();
});

/** The cells the export should hold for 2024, made from GET /api/v1/ips's answer. */
async function fromApi(): Promise<Map<string, Cell>> {
  const answer = await ipsJson(env.db, env.config);
  const out = new Map<string, Cell>();
  const put = (indicator: string, category: string, level: string, area: string, period: string, c: Cell) =>
    out.set(keyOf({ indicator, category, level, area, period }), c);
  const bands = new Map<string, number>();
  for (const unit of answer.units) {
    const reviews = unit.reviews.filter((r) => r.date.startsWith("2024"));
    for (const r of reviews) {
      const score = (value: number) => ({ value, numerator: null, denominator: null, status: "value" });
      put(IPS_EXPORT_IDS.total, "", "yksikko", unit.unit, r.date, score(r.total));
      IPS_ITEMS.forEach((item, i) => {
        put(IPS_EXPORT_IDS.total, item.id, "yksikko", unit.unit, r.date, score(r.items[i] as number));
      });
      put(IPS_EXPORT_IDS.caseload, "", "yksikko", unit.unit, r.date, {
        value: r.caseload_per_specialist,
        numerator: r.clients,
        denominator: r.specialists,
        status: r.clients_hidden ? "suppressed" : "value",
      });
    }
    const latest = reviews[reviews.length - 1];
    if (latest) bands.set(latest.band, (bands.get(latest.band) ?? 0) + 1);
  }
  for (const band of answer.bands) {
    const n = bands.get(band.id) ?? 0;
    put(IPS_EXPORT_IDS.units, band.id, "hyvinvointialue", "15", "2024", {
      value: n,
      numerator: n,
      denominator: null,
      status: n === 0 ? "zero" : "value",
    });
  }
  return out;
}

async function exportOf(format: FormatName): Promise<Buffer> {
  const file = await writeExport(env.db, {
    selection: { levels: ["hyvinvointialue"], period: { kind: "year", year: 2024 } },
    format,
    threshold: env.config.suppressionThreshold,
  });
  return file.body;
}

const IDS = new Set<string>(Object.values(IPS_EXPORT_IDS));
const ipsOnly = (rows: Record<string, unknown>[]) => rows.filter((r) => IDS.has(String(r.indicator)));

describe("the IPS reviews in every export format, read back and compared with GET /api/v1/ips", () => {
  it("the fixture hides the small unit's client count, so the formats below are tested with it", () => {
    const hidden = expected.get(
      keyOf({
        indicator: IPS_EXPORT_IDS.caseload,
        category: "",
        level: "yksikko",
        area: "KS-IPS-2",
        period: "2024-05-20",
      }),
    );
    expect(hidden).toEqual({ value: null, numerator: null, denominator: 1, status: "suppressed" });
    expect(
      expected.get(
        keyOf({
          indicator: IPS_EXPORT_IDS.total,
          category: "",
          level: "yksikko",
          area: "KS-IPS-1",
          period: "2024-10-02",
        }),
      )?.value,
    ).toBe(91);
  });

  it("csv (DuckDB read_csv)", async () => {
    const body = await exportOf("csv");
    const rows = await withDuckDbFile(body, "m.csv", (file, all) =>
      all(`SELECT * FROM read_csv('${file}', all_varchar = true)`),
    );
    expectSameCells(asCells(ipsOnly(rows)), expected);
    expect(body.toString("utf8")).not.toMatch(/KS-IPS-2,[^\n]*,2024-05-20,[^\n]*,3,1,/);
  });

  it("csv-excel (DuckDB read_csv under the metadata lines)", async () => {
    const rows = await readCsvExcel(await exportOf("csv-excel"));
    expectSameCells(asCells(ipsOnly(rows as Record<string, unknown>[])), expected);
  });

  it("xlsx (exceljs): the values sheet", async () => {
    const { grid } = await readXlsx(await exportOf("xlsx"));
    const [header = [], ...data] = grid;
    const col = (name: string) => header.indexOf(name);
    const rows = data.map((r) => ({
      indicator: r[col("indikaattori")],
      category: r[col("luokka")] ?? "",
      level: levelCode(String(r[col("taso")])),
      area: r[col("aluekoodi")],
      period: r[col("jakso")],
      value: typeof r[col("arvo")] === "number" ? r[col("arvo")] : null,
      numerator: r[col("osoittaja")] ?? null,
      denominator: r[col("nimittäjä")] ?? null,
      status: statusCode(String(r[col("tila")])),
    }));
    expectSameCells(asCells(ipsOnly(rows)), expected);
  });

  it("jsonstat: extension.seuranta.ips", async () => {
    const ds = JSON.parse((await exportOf("jsonstat")).toString("utf8"));
    expectSameCells(asCells(ds.extension.seuranta.ips), expected);
  });

  it("arrow (apache-arrow tableFromIPC)", async () => {
    const table = tableFromIPC(await exportOf("arrow"));
    const rows = table.toArray().map((r) => r.toJSON() as Record<string, unknown>);
    expectSameCells(asCells(ipsOnly(rows)), expected);
  });

  it("parquet (DuckDB read_parquet)", async () => {
    const body = await exportOf("parquet");
    const rows = await withDuckDbFile(body, "x.parquet", (file, all) =>
      all(`SELECT * FROM read_parquet('${file}')`),
    );
    expectSameCells(asCells(ipsOnly(rows)), expected);
  });

  it("an admin's unsuppressed export shows the small client count", async () => {
    const file = await writeExport(env.db, {
      selection: { levels: ["hyvinvointialue"], period: { kind: "year", year: 2024 } },
      format: "csv",
      threshold: env.config.suppressionThreshold,
      unsuppressed: true,
    });
    const rows = await withDuckDbFile(file.body, "u.csv", (f, all) =>
      all(`SELECT * FROM read_csv('${f}', all_varchar = true, skip = 1)`),
    );
    const small = rows.find(
      (r) => r.indicator === IPS_EXPORT_IDS.caseload && r.area === "KS-IPS-2" && r.period === "2024-05-20",
    );
    expect(small).toMatchObject({ numerator: "3", denominator: "1", value: "3", status: "value" });
  });
});
