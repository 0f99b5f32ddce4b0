import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import ExcelJS from "exceljs";
import { expect } from "vitest";
import type { Queryable } from "../../core/db.ts";
import { STATUS_TEXT } from "../../indicators/format.ts";
import type { LevelName } from "../../indicators/levels.ts";
import { LEVELS } from "../../indicators/levels.ts";
import { readValues } from "../../indicators/read.ts";
import { loadCatalogue } from "../../indicators/registry.ts";

/** What a test compares per value: the status and the numbers (null where none is shown). */
export interface Cell {
  value: number | null;
  numerator: number | null;
  denominator: number | null;
  status: string;
}

/** A value's key: indicator, breakdown cell ("" for the total), level, area and period. */
export const keyOf = (r: {
  indicator: string;
  category: string | null;
  level: string;
  area: string;
  period: string;
}) => `${r.indicator}|${r.category ?? ""}|${r.level}|${r.area}|${r.period}`;

/**
 * The values the export of the given levels and periods should hold, read straight from readValues
 * (what the API and the pages read), one call per indicator and period.
 */
export async function expectedCells(
  db: Queryable,
  levels: LevelName[],
  periods: string[],
  unsuppressed = false,
): Promise<Map<string, Cell>> {
  const catalogue = await loadCatalogue();
  const out = new Map<string, Cell>();
  for (const entry of catalogue.entries)
    for (const period of periods) {
      const { values } = await readValues(db, { indicator: entry.definition.id, period }, { unsuppressed });
      for (const v of values)
        if (levels.includes(v.level))
          out.set(keyOf(v), {
            value: v.value,
            numerator: v.numerator,
            denominator: v.denominator,
            status: v.status,
          });
    }
  return out;
}

/** Runs queries on a private in-memory DuckDB over a file written to a temp folder: an independent reader. */
export async function withDuckDbFile<T>(
  body: Buffer,
  name: string,
  fn: (file: string, all: (sql: string) => Promise<Record<string, unknown>[]>) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "seuranta-readback-"));
  const file = path.join(dir, name);
  fs.writeFileSync(file, body);
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  try {
    return await fn(file, async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS());
  } finally {
    connection.closeSync();
    instance.closeSync();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A number cell read by some reader as a JS number or null (bigint and DECIMAL-as-string included). */
export function num(x: unknown): number | null {
  if (x === null || x === undefined || x === "") return null;
  if (typeof x === "bigint") return Number(x);
  if (typeof x === "number") return x;
  return Number(String(x).replace(",", "."));
}

/** A level's code from its Finnish title (a level without one, such as `yksikko`, is its own). */
export const levelCode = (title: string) => LEVELS.find((l) => l.title.fi === title)?.name ?? title;
/** A status code from its Finnish text. */
export const statusCode = (text: string) =>
  Object.entries(STATUS_TEXT).find(([, t]) => t.fi === text)?.[0] ?? `unknown status ${text}`;

/** Rows of some reader, as the key → cell map readValues gave. */
export function asCells(rows: Record<string, unknown>[]): Map<string, Cell> {
  const out = new Map<string, Cell>();
  for (const r of rows) {
    const key = keyOf({
      indicator: String(r.indicator),
      category: r.category === null || r.category === undefined ? "" : String(r.category),
      level: String(r.level),
      area: String(r.area),
      period: String(r.period),
    });
    expect(out.has(key), `${key} twice`).toBe(false);
    out.set(key, {
      value: num(r.value),
      numerator: num(r.numerator),
      denominator: num(r.denominator),
      status: String(r.status),
    });
  }
  return out;
}

/** The same keys with the same cells. */
export function expectSameCells(actual: Map<string, Cell>, wanted: Map<string, Cell>) {
  expect(actual.size).toBe(wanted.size);
  expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(wanted));
}

/** The Finnish Excel CSV read by DuckDB's read_csv (it finds the table under the metadata lines). */
export async function readCsvExcel(body: Buffer) {
  return withDuckDbFile(body, "excel.csv", async (file, all) => {
    const rows = await all(`SELECT * FROM read_csv('${file}', all_varchar = true)`);
    return rows.map((r) => ({
      indicator: r.indikaattori,
      category: r.luokka,
      level: levelCode(String(r.taso)),
      area: r.aluekoodi,
      period: r.jakso,
      // a hidden value is its symbol in the value column
      value: /^[.–]+$/.test(String(r.arvo)) ? null : r.arvo,
      symbol: /^[.–]+$/.test(String(r.arvo)) ? r.arvo : null,
      numerator: r.osoittaja,
      denominator: r.nimittäjä,
      status: statusCode(String(r.tila)),
    }));
  });
}

/** The workbook and its first sheet as a grid of cell values. */
export async function readXlsx(body: Buffer) {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const sheet = wb.worksheets[0];
  if (!sheet) throw new Error("no sheets");
  const grid: unknown[][] = [];
  sheet.eachRow((row) => {
    grid.push((row.values as unknown[]).slice(1));
  });
  return { wb, grid };
}
