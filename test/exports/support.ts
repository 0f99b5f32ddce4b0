import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import type { Queryable } from "../../core/db.ts";
import type { LevelName } from "../../indicators/levels.ts";
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
